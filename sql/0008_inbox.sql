-- The inbox API's tables: labels (on conversations and contacts), internal notes, per-agent
-- read markers (unread counts), quick replies; the inbox list's sort key, view and indexes; and
-- the snooze wake-up that laris-worker runs.
--
-- The list is ordered by activity_at (last message, or opening time for a conversation without
-- one), newest first, with id as the tie-break: one non-NULL key, so the keyset cursor
-- (activity_at, id) is a plain row comparison an index answers. Text search uses pg_trgm (a
-- trusted extension: the database owner may create it) on contact names, phones and message
-- bodies.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE conversations
    ADD COLUMN activity_at timestamptz GENERATED ALWAYS AS (coalesce(last_message_at, opened_at))
        STORED;

CREATE INDEX conversations_activity_idx
    ON conversations (tenant_id, activity_at DESC, id DESC);
CREATE INDEX conversations_assignee_activity_idx
    ON conversations (tenant_id, assignee_id, activity_at DESC, id DESC)
    WHERE assignee_id IS NOT NULL;
CREATE INDEX conversations_unassigned_activity_idx
    ON conversations (tenant_id, activity_at DESC, id DESC)
    WHERE assignee_id IS NULL;
-- Unread counts: a conversation's inbound messages after the reader's marker, from the index
-- alone.
CREATE INDEX messages_inbound_idx ON messages (tenant_id, conversation_id, id)
    WHERE direction = 'in';
-- laris-worker's wake-up scan.
CREATE INDEX conversations_snoozed_idx ON conversations (snoozed_until) WHERE status = 'snoozed';

-- Text search: contact names, phones, message bodies (all tenants in one index; RLS narrows).
CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (name gin_trgm_ops);
CREATE INDEX contacts_profile_name_trgm_idx ON contacts USING gin (profile_name gin_trgm_ops);
CREATE INDEX contacts_phone_trgm_idx ON contacts USING gin (phone gin_trgm_ops);
CREATE INDEX messages_body_trgm_idx ON messages USING gin (body gin_trgm_ops)
    WHERE body IS NOT NULL;

CREATE TABLE labels (
    tenant_id   bigint NOT NULL REFERENCES tenants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 50),
    color       text NOT NULL DEFAULT '#64748b' CHECK (color ~ '^#[0-9a-f]{6}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX labels_name_idx ON labels (tenant_id, lower(name));

CREATE TABLE conversation_labels (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    conversation_id  bigint NOT NULL,
    label_id         bigint NOT NULL,
    PRIMARY KEY (tenant_id, conversation_id, label_id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
    FOREIGN KEY (tenant_id, label_id) REFERENCES labels (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX conversation_labels_label_idx ON conversation_labels (tenant_id, label_id);

CREATE TABLE contact_labels (
    tenant_id   bigint NOT NULL REFERENCES tenants (id),
    contact_id  bigint NOT NULL,
    label_id    bigint NOT NULL,
    PRIMARY KEY (tenant_id, contact_id, label_id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id),
    FOREIGN KEY (tenant_id, label_id) REFERENCES labels (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_labels_label_idx ON contact_labels (tenant_id, label_id);

-- Internal notes: never sent, shown in the conversation's timeline with their author.
CREATE TABLE conversation_notes (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    conversation_id  bigint NOT NULL,
    author_id        bigint,
    body             text NOT NULL CHECK (length(body) BETWEEN 1 AND 4096),
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
    FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX conversation_notes_conversation_idx
    ON conversation_notes (tenant_id, conversation_id, id);

-- Where each person last read each conversation: unread = inbound messages after that message.
CREATE TABLE conversation_reads (
    tenant_id             bigint NOT NULL REFERENCES tenants (id),
    conversation_id       bigint NOT NULL,
    user_id               bigint NOT NULL,
    last_read_message_id  bigint NOT NULL DEFAULT 0,
    read_at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, conversation_id, user_id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

-- Canned answers typed as /shortcut; text may hold {{nama}}, {{agen}}, {{bisnis}}.
CREATE TABLE quick_replies (
    tenant_id   bigint NOT NULL REFERENCES tenants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    shortcut    text NOT NULL CHECK (shortcut ~ '^/[a-z0-9_-]{1,32}$'),
    body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 4096),
    created_by  bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, shortcut),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);

-- One inbox row per conversation: contact, assignee, labels and the last message. The caller's
-- RLS applies (security_invoker), so it shows the current tenant's rows only.
CREATE VIEW inbox_conversations WITH (security_invoker = true) AS
SELECT v.tenant_id, v.id, v.status, v.priority, v.snoozed_until, v.last_message_at, v.opened_at,
       v.activity_at, v.assignee_id, u.name AS assignee_name,
       v.contact_id, c.name AS contact_name, c.profile_name, c.phone, c.wa_id,
       lm.id AS last_message_id, lm.direction AS last_direction, lm.type AS last_type,
       left(lm.body, 200) AS last_preview, lm.status AS last_status, lm.created_at AS last_at,
       (SELECT coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color)
                                 ORDER BY lower(l.name)), '[]')
          FROM conversation_labels cl
          JOIN labels l ON l.tenant_id = cl.tenant_id AND l.id = cl.label_id
         WHERE cl.tenant_id = v.tenant_id AND cl.conversation_id = v.id) AS labels
  FROM conversations v
  JOIN contacts c ON c.tenant_id = v.tenant_id AND c.id = v.contact_id
  LEFT JOIN users u ON u.tenant_id = v.tenant_id AND u.id = v.assignee_id
  LEFT JOIN LATERAL (
        SELECT m.id, m.direction, m.type, m.body, m.status, m.created_at
          FROM messages m
         WHERE m.tenant_id = v.tenant_id AND m.conversation_id = v.id
         ORDER BY m.id DESC
         LIMIT 1) lm ON true;

ALTER TABLE labels ENABLE ROW LEVEL SECURITY;
ALTER TABLE labels FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON labels
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE conversation_labels ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversation_labels FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversation_labels
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE contact_labels ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_labels FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contact_labels
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE conversation_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversation_notes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversation_notes
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE conversation_reads ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversation_reads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversation_reads
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE quick_replies ENABLE ROW LEVEL SECURITY;
ALTER TABLE quick_replies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON quick_replies
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

GRANT SELECT, INSERT, UPDATE, DELETE ON labels, conversation_labels, contact_labels, quick_replies
    TO laris_app;
GRANT SELECT, INSERT ON conversation_notes TO laris_app;
GRANT SELECT, INSERT, UPDATE ON conversation_reads TO laris_app;
GRANT SELECT ON inbox_conversations TO laris_app;

-- The conversations of the current tenant whose contact's name or profile name matches ILIKE
-- pattern p_like, whose phone contains p_digits or p_normalized, or that hold a message whose
-- body matches p_like. SECURITY DEFINER (its owner bypasses RLS) because under RLS PostgreSQL
-- may not use the trigram indexes for ILIKE (not a leakproof operator); the tenant filter is
-- therefore explicit here, and the function is never inlined.
CREATE FUNCTION inbox_search_matches(p_like text, p_digits text, p_normalized text)
    RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    ROWS 200
    AS $$
        SELECT v.id FROM public.conversations v
         WHERE v.tenant_id = public.laris_current_tenant()
           AND v.contact_id IN (
                SELECT c.id FROM public.contacts c
                 WHERE c.tenant_id = public.laris_current_tenant()
                   AND (c.name ILIKE p_like OR c.profile_name ILIKE p_like
                        OR c.phone LIKE '%' || p_digits || '%'
                        OR c.phone LIKE '%' || p_normalized || '%'))
        UNION
        SELECT m.conversation_id FROM public.messages m
         WHERE m.tenant_id = public.laris_current_tenant()
           AND m.body IS NOT NULL AND m.body ILIKE p_like
    $$;
REVOKE ALL ON FUNCTION inbox_search_matches(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_search_matches(text, text, text) TO laris_app;

-- laris-worker: reopens up to p_limit snoozed conversations (any tenant) whose time has come.
CREATE FUNCTION conversations_wake_snoozed(p_limit integer)
    RETURNS TABLE (tenant_id bigint, conversation_id bigint)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        WITH due AS (
            SELECT v.tenant_id, v.id FROM public.conversations v
             WHERE v.status = 'snoozed' AND v.snoozed_until <= now()
             ORDER BY v.snoozed_until
             LIMIT greatest(least(p_limit, 1000), 1)
               FOR UPDATE SKIP LOCKED
        )
        UPDATE public.conversations v SET status = 'open', snoozed_until = NULL
          FROM due
         WHERE v.tenant_id = due.tenant_id AND v.id = due.id
        RETURNING v.tenant_id, v.id
    $$;

REVOKE ALL ON FUNCTION conversations_wake_snoozed(integer) FROM PUBLIC;
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_worker') THEN
        GRANT EXECUTE ON FUNCTION conversations_wake_snoozed(integer) TO laris_worker;
    END IF;
END $$;
