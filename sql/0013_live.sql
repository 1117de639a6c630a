-- Live events for the web inbox (nchan): what changed, published on a tenant channel (every
-- active person of the tenant may listen) and on agent channels (what concerns one person).
--
-- Transactional by construction: the triggers below add live_events rows inside the change's
-- own transaction and pg_notify('laris_live'), which PostgreSQL delivers only on COMMIT; a
-- rolled-back change leaves no row and no event. laris-events (src/events) LISTENs, takes
-- the rows through live_take() (as laris_worker) and POSTs them to nchan, deleting them in the
-- same transaction only after nchan accepted them, so a committed event is never lost (at
-- worst published twice after a crash, with the same seq, which clients drop).
--
-- live_take() numbers each channel's events 1, 2, 3… (live_channels.seq), so a client sees a
-- gap (missed events: refetch) and a repeat (drop it) by seq alone. Payloads are compact ids,
-- never message text or secrets: the client fetches what it shows through the API.
--
-- Other modules publish through live_emit(tenant, users[], kind, data) in their own
-- transaction, e.g. the SLA warning: live_emit(t, ARRAY[assignee], 'sla.warning',
-- jsonb_build_object('conversation_id', c, 'due_at', d, 'level', 'warning')).

CREATE TABLE live_events (
    tenant_id   bigint NOT NULL REFERENCES tenants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    channel     text NOT NULL CHECK (channel ~ '^(tenant|agent)/[1-9][0-9]{0,17}$'),
    payload     jsonb NOT NULL CHECK (octet_length(payload::text) <= 4000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX live_events_id_idx ON live_events (id);

-- The last seq given on each channel.
CREATE TABLE live_channels (
    tenant_id  bigint NOT NULL REFERENCES tenants (id),
    channel    text NOT NULL,
    seq        bigint NOT NULL,
    PRIMARY KEY (tenant_id, channel)
);

ALTER TABLE live_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE live_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON live_events
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));
ALTER TABLE live_channels ENABLE ROW LEVEL SECURITY;
ALTER TABLE live_channels FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON live_channels
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

-- laris_app only adds events (through live_emit, under its tenant's RLS); it never reads them.
GRANT INSERT ON live_events TO laris_app;

-- Publishes kind with data on the tenant's channel and on the agent channel of each user in
-- p_users (users of that tenant only; others are ignored). Runs as its caller, so laris_app
-- can only publish to its own tenant. kind: lower-case words with dots ('message.new').
CREATE FUNCTION live_emit(p_tenant bigint, p_users bigint[], p_kind text, p_data jsonb)
    RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    body jsonb;
BEGIN
    IF p_kind IS NULL OR p_kind !~ '^[a-z][a-z_.]{0,39}$' THEN
        RAISE EXCEPTION 'not an event kind: %', p_kind USING ERRCODE = '22023';
    END IF;
    body := coalesce(p_data, '{}'::jsonb)
            || jsonb_build_object('kind', p_kind, 'at', clock_timestamp());
    INSERT INTO public.live_events (tenant_id, channel, payload)
    VALUES (p_tenant, 'tenant/' || p_tenant, body);
    IF p_users IS NOT NULL AND cardinality(p_users) > 0 THEN
        INSERT INTO public.live_events (tenant_id, channel, payload)
        SELECT p_tenant, 'agent/' || u.id, body
          FROM public.users u
         WHERE u.tenant_id = p_tenant AND u.id = ANY (p_users);
    END IF;
    PERFORM pg_notify('laris_live', '');
END $$;

-- laris-events: up to p_limit events in commit-independent id order, deleted (the caller
-- commits after publishing), each with its channel's next seq. Payload gains id and seq.
CREATE FUNCTION live_take(p_limit integer)
    RETURNS TABLE (channel text, seq bigint, payload text)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        WITH picked AS (
            SELECT e.tenant_id, e.id FROM public.live_events e
             ORDER BY e.id
             LIMIT greatest(least(p_limit, 1000), 1)
             FOR UPDATE SKIP LOCKED
        ), taken AS (
            DELETE FROM public.live_events e USING picked p
             WHERE e.tenant_id = p.tenant_id AND e.id = p.id
            RETURNING e.tenant_id, e.id, e.channel, e.payload
        ), numbered AS (
            SELECT t.*, row_number() OVER (PARTITION BY t.channel ORDER BY t.id) AS n,
                   count(*) OVER (PARTITION BY t.channel) AS c
              FROM taken t
        ), bumped AS (
            INSERT INTO public.live_channels AS lc (tenant_id, channel, seq)
            SELECT DISTINCT x.tenant_id, x.channel, x.c FROM numbered x
            ON CONFLICT (tenant_id, channel) DO UPDATE SET seq = lc.seq + EXCLUDED.seq
            RETURNING lc.channel, lc.seq
        )
        SELECT x.channel, b.seq - x.c + x.n,
               (x.payload || jsonb_build_object('id', x.id, 'seq', b.seq - x.c + x.n))::text
          FROM numbered x JOIN bumped b ON b.channel = x.channel
         ORDER BY x.id
    $$;

-- New messages, in and out (the webhook path adds one row and one NOTIFY).
CREATE FUNCTION live_message_new() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    PERFORM public.live_emit(NEW.tenant_id, NULL, 'message.new',
        jsonb_build_object('conversation_id', NEW.conversation_id, 'message_id', NEW.id,
                           'direction', NEW.direction, 'type', NEW.type));
    RETURN NULL;
END $$;
CREATE TRIGGER live_message_new AFTER INSERT ON messages
    FOR EACH ROW EXECUTE FUNCTION live_message_new();

-- An outbound message's status moved to one a person sees: sent, delivered, read, played,
-- failed (with Meta's code) or unknown. queued, sending and accepted are steps on the way out
-- (the reply's message.new says queued; Meta's 'sent' follows 'accepted'): not published,
-- which also spares the send path two events per message.
CREATE FUNCTION live_message_status() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    PERFORM public.live_emit(NEW.tenant_id, NULL, 'message.status',
        jsonb_strip_nulls(jsonb_build_object('conversation_id', NEW.conversation_id,
                                             'message_id', NEW.id, 'status', NEW.status,
                                             'error_code', NEW.error_code)));
    RETURN NULL;
END $$;
CREATE TRIGGER live_message_status AFTER UPDATE OF status ON messages
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                       AND NEW.status NOT IN ('queued', 'sending', 'accepted'))
    EXECUTE FUNCTION live_message_status();

-- A chat changed owner (auto, claim, transfer, escalate, redistribute): the tenant sees it,
-- and so do the new and the previous owner on their own channels.
CREATE FUNCTION live_assignment() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    PERFORM public.live_emit(NEW.tenant_id,
        array_remove(ARRAY[NEW.to_user_id, NEW.from_user_id], NULL), 'conversation.assigned',
        jsonb_build_object('conversation_id', NEW.conversation_id, 'to_user_id', NEW.to_user_id,
                           'from_user_id', NEW.from_user_id, 'reason', NEW.reason,
                           'by_user_id', NEW.by_user_id));
    RETURN NULL;
END $$;
CREATE TRIGGER live_assignment AFTER INSERT ON conversation_assignments
    FOR EACH ROW EXECUTE FUNCTION live_assignment();

-- A chat was escalated to the supervisors.
CREATE FUNCTION live_escalated() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    PERFORM public.live_emit(NEW.tenant_id, NULL, 'conversation.escalated',
        jsonb_build_object('conversation_id', NEW.id, 'escalated_by', NEW.escalated_by,
                           'assignee_id', NEW.assignee_id));
    RETURN NULL;
END $$;
CREATE TRIGGER live_escalated AFTER UPDATE OF escalated_at ON conversations
    FOR EACH ROW WHEN (NEW.escalated_at IS NOT NULL
                       AND NEW.escalated_at IS DISTINCT FROM OLD.escalated_at)
    EXECUTE FUNCTION live_escalated();

REVOKE ALL ON FUNCTION live_emit(bigint, bigint[], text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION live_take(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION live_message_new() FROM PUBLIC;
REVOKE ALL ON FUNCTION live_message_status() FROM PUBLIC;
REVOKE ALL ON FUNCTION live_assignment() FROM PUBLIC;
REVOKE ALL ON FUNCTION live_escalated() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION live_emit(bigint, bigint[], text, jsonb) TO laris_app;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_worker') THEN
        GRANT EXECUTE ON FUNCTION live_take(integer) TO laris_worker;
    END IF;
END $$;
