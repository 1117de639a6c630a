-- Messages out: agents' replies are stored as outbound messages (status 'queued') together with
-- an outbox row in one transaction; laris-worker relays outbox rows to Redis and sends them.
--
-- laris-worker connects as laris_worker (created by the stack scripts, like laris_app): no
-- BYPASSRLS and no table privileges, only the three SECURITY DEFINER functions below, which
-- claim outbox rows (FOR UPDATE SKIP LOCKED), start one send and record its result.
--
-- Idempotency-Key: idempotency_keys remembers, per tenant and key, the message a reply made
-- (24 hours; older keys are ignored and replaced).

-- Outbound statuses before Meta's: queued (waiting for laris-worker), sending (the request is
-- being made; never started again), unknown (the request left and no answer came: never re-sent).
CREATE OR REPLACE FUNCTION wa_status_rank(p_status text) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE p_status WHEN 'queued' THEN -3 WHEN 'sending' THEN -2
                               WHEN 'unknown' THEN -1
                               WHEN 'accepted' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2
                               WHEN 'read' THEN 3 WHEN 'played' THEN 4 WHEN 'failed' THEN 5
                 END::smallint $$;

ALTER TABLE messages
    ADD COLUMN sent_by bigint,
    ADD COLUMN payload jsonb,
    ADD COLUMN error_message text;

CREATE TABLE outbox (
    tenant_id     bigint NOT NULL REFERENCES tenants (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    message_id    bigint NOT NULL,
    wa_number_id  bigint NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    relayed_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id),
    FOREIGN KEY (tenant_id, wa_number_id) REFERENCES wa_numbers (tenant_id, id)
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE relayed_at IS NULL;

CREATE TABLE idempotency_keys (
    tenant_id   bigint NOT NULL REFERENCES tenants (id),
    key         text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    scope       text NOT NULL,
    message_id  bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);

ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

GRANT SELECT, INSERT ON outbox TO laris_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO laris_app;

-- The worker: up to p_limit outbox rows not relayed yet, marked relayed (the caller pushes them
-- to Redis inside the same transaction and rolls back when it cannot).
CREATE FUNCTION outbox_claim(p_limit integer)
    RETURNS TABLE (tenant_id bigint, outbox_id bigint, message_id bigint, wa_number_id bigint)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        WITH picked AS (
            SELECT o.tenant_id, o.id FROM public.outbox o
             WHERE o.relayed_at IS NULL
             ORDER BY o.id
             LIMIT greatest(least(p_limit, 1000), 1)
               FOR UPDATE SKIP LOCKED
        )
        UPDATE public.outbox o SET relayed_at = now()
          FROM picked
         WHERE o.tenant_id = picked.tenant_id AND o.id = picked.id
        RETURNING o.tenant_id, o.id, o.message_id, o.wa_number_id
    $$;

-- The worker: moves message p_message of tenant p_tenant from queued to sending and returns
-- what the request needs; no row when it is not queued (sent, being sent or unknown already),
-- so a job taken twice is sent once.
CREATE FUNCTION outbound_begin(p_tenant bigint, p_message bigint)
    RETURNS TABLE (type text, body text, payload jsonb, to_wa_id text, phone_number_id text,
                   access_token_enc bytea, throughput_mps integer)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        WITH started AS (
            UPDATE public.messages m SET status = 'sending', status_at = now()
             WHERE m.tenant_id = p_tenant AND m.id = p_message AND m.direction = 'out'
               AND m.status = 'queued'
            RETURNING m.tenant_id, m.type, m.body, m.payload, m.contact_id, m.wa_number_id
        )
        SELECT s.type, s.body, s.payload, c.wa_id, n.phone_number_id, n.access_token_enc,
               n.throughput_mps
          FROM started s
          JOIN public.contacts c ON c.tenant_id = s.tenant_id AND c.id = s.contact_id
          JOIN public.wa_numbers n ON n.tenant_id = s.tenant_id AND n.id = s.wa_number_id
    $$;

-- The worker: the outcome of a send of a message in 'sending': 'accepted' with its wamid (a
-- status webhook that came first applies at once), 'failed' with Meta's code, 'unknown', or
-- 'queued' again (nothing was sent: retry). False when the message was not being sent.
CREATE FUNCTION outbound_result(p_tenant bigint, p_message bigint, p_status text, p_wamid text,
                                p_error_code integer, p_error_title text, p_error_message text)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    p public.wa_pending_statuses%ROWTYPE;
BEGIN
    IF p_status NOT IN ('accepted', 'failed', 'unknown', 'queued') THEN
        RAISE EXCEPTION 'not an outcome: %', p_status USING ERRCODE = '22023';
    END IF;
    UPDATE public.messages
       SET status = p_status, status_at = now(),
           wamid = CASE WHEN p_status = 'accepted' THEN p_wamid ELSE wamid END,
           sent_at = CASE WHEN p_status = 'accepted' THEN now() ELSE sent_at END,
           error_code = p_error_code, error_title = left(p_error_title, 500),
           error_message = left(p_error_message, 1000)
     WHERE tenant_id = p_tenant AND id = p_message AND direction = 'out' AND status = 'sending';
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF p_status = 'accepted' AND p_wamid IS NOT NULL THEN
        DELETE FROM public.wa_pending_statuses
         WHERE tenant_id = p_tenant AND wamid = p_wamid
        RETURNING * INTO p;
        IF FOUND THEN
            UPDATE public.messages
               SET status = p.status, status_at = p.at,
                   error_code = CASE WHEN p.status = 'failed' THEN p.error_code ELSE error_code END,
                   error_title = CASE WHEN p.status = 'failed' THEN p.error_title
                                      ELSE error_title END
             WHERE tenant_id = p_tenant AND id = p_message
               AND public.wa_status_advances(status, p.status);
        END IF;
    END IF;
    RETURN true;
END $$;

REVOKE ALL ON FUNCTION outbox_claim(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION outbound_begin(bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION outbound_result(bigint, bigint, text, text, integer, text, text) FROM PUBLIC;

-- The worker role is made by the stack scripts; grant when it exists (a cluster without it has
-- no worker yet).
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_worker') THEN
        GRANT USAGE ON SCHEMA public TO laris_worker;
        GRANT EXECUTE ON FUNCTION outbox_claim(integer) TO laris_worker;
        GRANT EXECUTE ON FUNCTION outbound_begin(bigint, bigint) TO laris_worker;
        GRANT EXECUTE ON FUNCTION outbound_result(bigint, bigint, text, text, integer, text, text)
            TO laris_worker;
    END IF;
END $$;
