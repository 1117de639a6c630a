-- laris-worker reliability: a number whose access token expired (Graph error 190) is flagged
-- 'disconnected' and its queued messages wait; replacing the token (PATCH access_token) makes it
-- active again and puts its queued messages back into the outbox. Messages left in 'sending' by
-- a worker that died are marked 'unknown' after a grace period (never re-sent), and the outbox
-- can be replayed when Redis lost its queues.
--
-- New functions are SECURITY DEFINER like those of 0004 and only laris_worker may run them.

CREATE INDEX messages_sending_idx ON messages (status_at) WHERE status = 'sending';
CREATE INDEX messages_queued_number_idx ON messages (tenant_id, wa_number_id)
    WHERE status = 'queued' AND direction = 'out';

-- As in 0004, and only while the message's number is active: a flagged number's messages stay
-- queued (no row), to be re-queued by wa_numbers_token_replaced.
CREATE OR REPLACE FUNCTION outbound_begin(p_tenant bigint, p_message bigint)
    RETURNS TABLE (type text, body text, payload jsonb, to_wa_id text, phone_number_id text,
                   access_token_enc bytea, throughput_mps integer)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        WITH started AS (
            UPDATE public.messages m SET status = 'sending', status_at = now()
             WHERE m.tenant_id = p_tenant AND m.id = p_message AND m.direction = 'out'
               AND m.status = 'queued'
               AND EXISTS (SELECT FROM public.wa_numbers n
                            WHERE n.tenant_id = m.tenant_id AND n.id = m.wa_number_id
                              AND n.status = 'active')
            RETURNING m.tenant_id, m.type, m.body, m.payload, m.contact_id, m.wa_number_id
        )
        SELECT s.type, s.body, s.payload, c.wa_id, n.phone_number_id, n.access_token_enc,
               n.throughput_mps
          FROM started s
          JOIN public.contacts c ON c.tenant_id = s.tenant_id AND c.id = s.contact_id
          JOIN public.wa_numbers n ON n.tenant_id = s.tenant_id AND n.id = s.wa_number_id
    $$;

-- The worker: outbound_begin of several messages at once (p_tenants[i], p_messages[i]); a row
-- for each message begun, naming it.
CREATE FUNCTION outbound_begin_many(p_tenants bigint[], p_messages bigint[])
    RETURNS TABLE (tenant_id bigint, message_id bigint, type text, body text, payload jsonb,
                   to_wa_id text, phone_number_id text, access_token_enc bytea,
                   throughput_mps integer)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        WITH wanted AS (
            SELECT DISTINCT w.t, w.m FROM unnest(p_tenants, p_messages) AS w (t, m)
        ), started AS (
            UPDATE public.messages m SET status = 'sending', status_at = now()
              FROM wanted w
             WHERE m.tenant_id = w.t AND m.id = w.m AND m.direction = 'out'
               AND m.status = 'queued'
               AND EXISTS (SELECT FROM public.wa_numbers n
                            WHERE n.tenant_id = m.tenant_id AND n.id = m.wa_number_id
                              AND n.status = 'active')
            RETURNING m.tenant_id, m.id, m.type, m.body, m.payload, m.contact_id, m.wa_number_id
        )
        SELECT s.tenant_id, s.id, s.type, s.body, s.payload, c.wa_id, n.phone_number_id,
               n.access_token_enc, n.throughput_mps
          FROM started s
          JOIN public.contacts c ON c.tenant_id = s.tenant_id AND c.id = s.contact_id
          JOIN public.wa_numbers n ON n.tenant_id = s.tenant_id AND n.id = s.wa_number_id
    $$;

-- The worker: outbound_result of several sends in one statement (element i of each array is
-- an argument of send i); how many were recorded.
CREATE FUNCTION outbound_result_many(p_tenants bigint[], p_messages bigint[], p_statuses text[],
                                     p_wamids text[], p_error_codes integer[],
                                     p_error_titles text[], p_error_messages text[])
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    v_recorded integer := 0;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_messages, 1), 0) LOOP
        IF public.outbound_result(p_tenants[i], p_messages[i], p_statuses[i], p_wamids[i],
                                  p_error_codes[i], p_error_titles[i], p_error_messages[i]) THEN
            v_recorded := v_recorded + 1;
        END IF;
    END LOOP;
    RETURN v_recorded;
END $$;

-- The worker: Graph answered 190 (access token expired) to the send of p_message, so nothing
-- was sent: the message is queued again with the error, and its number is flagged
-- 'disconnected' (GET /wa-numbers/{id} shows it; replies are refused until it is fixed).
CREATE FUNCTION outbound_token_expired(p_tenant bigint, p_message bigint, p_error_title text,
                                       p_error_message text)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    v_number bigint;
BEGIN
    UPDATE public.messages
       SET status = 'queued', status_at = now(), error_code = 190,
           error_title = left(p_error_title, 500), error_message = left(p_error_message, 1000)
     WHERE tenant_id = p_tenant AND id = p_message AND direction = 'out' AND status = 'sending'
    RETURNING wa_number_id INTO v_number;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    UPDATE public.wa_numbers SET status = 'disconnected', updated_at = now()
     WHERE tenant_id = p_tenant AND id = v_number AND status = 'active';
    RETURN true;
END $$;

-- The worker: messages in 'sending' for longer than p_grace_ms belong to a worker that died
-- mid-send; the request may have left, so they become 'unknown' (never re-sent). Returns how
-- many.
CREATE FUNCTION outbound_expire(p_grace_ms integer)
    RETURNS integer
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        WITH expired AS (
            UPDATE public.messages
               SET status = 'unknown', status_at = now(),
                   error_title = 'no answer from WhatsApp',
                   error_message = 'The sender stopped while sending; the message may or may '
                                   || 'not have been sent, so it is not sent again.'
             WHERE status = 'sending' AND direction = 'out'
               AND status_at < now() - make_interval(secs => greatest(p_grace_ms, 1000) / 1000.0)
            RETURNING 1
        )
        SELECT count(*)::integer FROM expired
    $$;

-- The worker: Redis lost its queues (restart without persistence); the newest outbox row of
-- every message still queued is marked not relayed, so the relay pushes it again. Returns how
-- many. A message pushed twice is still sent once (outbound_begin).
CREATE FUNCTION outbox_rebuild()
    RETURNS integer
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        WITH latest AS (
            SELECT DISTINCT ON (o.tenant_id, o.message_id) o.tenant_id, o.id
              FROM public.outbox o
              JOIN public.messages m ON m.tenant_id = o.tenant_id AND m.id = o.message_id
             WHERE m.status = 'queued' AND m.direction = 'out'
             ORDER BY o.tenant_id, o.message_id, o.id DESC
        ), reset AS (
            UPDATE public.outbox o SET relayed_at = NULL
              FROM latest
             WHERE o.tenant_id = latest.tenant_id AND o.id = latest.id
               AND o.relayed_at IS NOT NULL
            RETURNING 1
        )
        SELECT count(*)::integer FROM reset
    $$;

-- A new access token for a flagged number makes it active again (before the row is written)...
CREATE FUNCTION wa_numbers_token_replaced() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    IF OLD.status = 'disconnected' AND NEW.status = 'disconnected'
       AND NEW.access_token_enc IS NOT NULL
       AND NEW.access_token_enc IS DISTINCT FROM OLD.access_token_enc THEN
        NEW.status := 'active';
    END IF;
    RETURN NEW;
END $$;

-- ... and its waiting messages go back to the outbox (after the row is written).
CREATE FUNCTION wa_numbers_resume_outbox() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    INSERT INTO public.outbox (tenant_id, message_id, wa_number_id)
    SELECT m.tenant_id, m.id, m.wa_number_id
      FROM public.messages m
     WHERE m.tenant_id = NEW.tenant_id AND m.wa_number_id = NEW.id
       AND m.status = 'queued' AND m.direction = 'out'
     ORDER BY m.id;
    RETURN NULL;
END $$;

REVOKE ALL ON FUNCTION wa_numbers_token_replaced() FROM PUBLIC;
REVOKE ALL ON FUNCTION wa_numbers_resume_outbox() FROM PUBLIC;

CREATE TRIGGER wa_numbers_token_replaced BEFORE UPDATE OF access_token_enc ON wa_numbers
    FOR EACH ROW EXECUTE FUNCTION wa_numbers_token_replaced();
CREATE TRIGGER wa_numbers_resume_outbox AFTER UPDATE OF access_token_enc ON wa_numbers
    FOR EACH ROW WHEN (OLD.status = 'disconnected' AND NEW.status = 'active')
    EXECUTE FUNCTION wa_numbers_resume_outbox();

REVOKE ALL ON FUNCTION outbound_begin_many(bigint[], bigint[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION outbound_result_many(bigint[], bigint[], text[], text[], integer[], text[],
                                            text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION outbound_token_expired(bigint, bigint, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION outbound_expire(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION outbox_rebuild() FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_worker') THEN
        GRANT EXECUTE ON FUNCTION outbound_begin_many(bigint[], bigint[]) TO laris_worker;
        GRANT EXECUTE ON FUNCTION outbound_result_many(bigint[], bigint[], text[], text[],
                                                       integer[], text[], text[])
            TO laris_worker;
        GRANT EXECUTE ON FUNCTION outbound_token_expired(bigint, bigint, text, text)
            TO laris_worker;
        GRANT EXECUTE ON FUNCTION outbound_expire(integer) TO laris_worker;
        GRANT EXECUTE ON FUNCTION outbox_rebuild() TO laris_worker;
    END IF;
END $$;
