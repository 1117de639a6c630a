-- The team inbox's shared columns: who owns a conversation, how urgent it is, and until when it
-- sleeps. Distribution (assignment), the inbox API and SLA build on these; their own tables come
-- in later migrations.
--
-- assignee_id: the one agent who owns the chat (NULL: waiting for an agent). Only that agent may
-- reply; a supervisor's reply is recorded as the supervisor's. assigned_at: when the current
-- owner got it (ties in round robin go to the least recently assigned agent).

ALTER TABLE conversations
    ADD COLUMN assignee_id    bigint,
    ADD COLUMN assigned_at    timestamptz,
    ADD COLUMN priority       text NOT NULL DEFAULT 'normal'
                              CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    ADD COLUMN snoozed_until  timestamptz,
    ADD CONSTRAINT conversations_assignee_fk FOREIGN KEY (tenant_id, assignee_id)
        REFERENCES users (tenant_id, id),
    ADD CONSTRAINT conversations_assigned_at_chk CHECK (assignee_id IS NULL OR assigned_at IS NOT NULL),
    ADD CONSTRAINT conversations_snooze_chk CHECK (status <> 'snoozed' OR snoozed_until IS NOT NULL);

-- The inbox lists newest activity first, per tenant, optionally per assignee.
CREATE INDEX conversations_inbox_idx
    ON conversations (tenant_id, last_message_at DESC NULLS LAST, id DESC);
CREATE INDEX conversations_assignee_idx
    ON conversations (tenant_id, assignee_id, last_message_at DESC NULLS LAST, id DESC)
    WHERE assignee_id IS NOT NULL;
