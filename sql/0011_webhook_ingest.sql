-- Webhook ingest in one round trip, and the per-number webhook's credentials.
--
-- wa_ingest_change() does for one webhook change what crm/inbound.c did in seven statements:
-- routes it by phone_number_id, sets the change's tenant for the rest of the transaction,
-- stores the raw event (a redelivered change is a no-op), then for each inbound message upserts
-- the contact, finds or opens its conversation and stores the message deduplicated by wamid,
-- and moves each status forward (kept pending while its message is unknown).
-- It runs as the caller (laris_app): every table it writes is under the tenant's Row-Level
-- Security, the tenant coming only from the platform's routing map. Sent alone it is its own
-- (implicit) transaction, so a webhook of new messages costs PostgreSQL one statement and
-- laris-api one round trip, COMMIT included.
--
-- wa_number_webhook() is the narrow cross-tenant read behind POST /webhooks/whatsapp/{id}: the
-- credentials of one number (sealed app secret, verify token), looked up before any tenant is
-- known.
--
-- Two functions every statement of the path ran are redefined, same results, for speed (perf
-- showed PostgreSQL parsing and planning them again at every call, about 40 % of its CPU per
-- webhook): laris_current_tenant(), which every RLS policy calls, had a FROM clause, which
-- keeps a SQL function from being inlined, so each statement under RLS parsed and planned its
-- body; it is now one expression with a pre-parsed (SQL-standard) body. wa_number_route(), a
-- SECURITY DEFINER SQL function (never inlined), was planned at every call; as PL/pgSQL its
-- plan is kept for the session.

CREATE OR REPLACE FUNCTION laris_current_tenant() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN CASE WHEN nullif(current_setting('laris.tenant_id', true), '')::bigint > 0
                THEN nullif(current_setting('laris.tenant_id', true), '')::bigint END;

CREATE OR REPLACE FUNCTION wa_number_route(p_phone_number_id text)
    RETURNS TABLE (tenant_id bigint, wa_number_id bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    RETURN QUERY SELECT r.tenant_id, r.wa_number_id FROM public.wa_number_routes r
                  WHERE r.phone_number_id = p_phone_number_id;
END $$;

-- p_messages: a JSON array of the change's inbound messages, as crm/inbound.c extracts them:
-- {i (its index in p_raw's value.messages, whose object is stored as the message's raw), wa_id |
-- user_id, name, phone, wamid, type, body, media_id, reply_to, ts (Unix seconds), error_code,
-- error_title, errors: [{code, title, message, details}]}.
-- p_statuses: a JSON array of its statuses: {wamid, status (sent, delivered, read, played or
-- failed), ts, error_code, error_title, errors: [...]}; the same rules as before 0011: a status
-- only moves forward (wa_status_advances), failed records its first error, a status for a wamid
-- without a message waits in wa_pending_statuses (the furthest one).
-- Answers one row: routed_tenant_id NULL when no tenant has the number; event_id NULL when the
-- change was stored before; new_messages the messages not seen before.
CREATE FUNCTION wa_ingest_change(p_phone_number_id text, p_waba_id text, p_field text,
                                 p_hash text, p_raw jsonb, p_messages jsonb, p_statuses jsonb,
                                 OUT routed_tenant_id bigint, OUT routed_number_id bigint,
                                 OUT event_id bigint, OUT new_messages integer)
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    m jsonb;
    e jsonb;
    st jsonb;
    v_status text;
    v_ts timestamptz;
    v_contact bigint;
    v_conversation bigint;
    v_opened boolean;
    v_message bigint;
BEGIN
    new_messages := 0;
    SELECT r.tenant_id, r.wa_number_id INTO routed_tenant_id, routed_number_id
      FROM public.wa_number_route(p_phone_number_id) r;
    IF routed_tenant_id IS NULL THEN
        RETURN;
    END IF;
    PERFORM set_config('laris.tenant_id', routed_tenant_id::text, true);

    INSERT INTO public.webhook_events (tenant_id, phone_number_id, waba_id, field, body_hash, raw)
    VALUES (routed_tenant_id, p_phone_number_id, p_waba_id, p_field, p_hash, p_raw)
    ON CONFLICT (tenant_id, body_hash) DO NOTHING
    RETURNING id INTO event_id;
    IF event_id IS NULL THEN
        RETURN;
    END IF;

    FOR m IN SELECT value FROM jsonb_array_elements(p_messages) LOOP
        v_ts := to_timestamp((m->>'ts')::bigint);
        -- The contact, with the latest profile name, the BSUID once known and the time of its
        -- latest message (greatest(): a redelivered or older message changes nothing).
        IF m->>'wa_id' IS NOT NULL THEN
            INSERT INTO public.contacts AS c (tenant_id, wa_id, phone, profile_name, user_id,
                                              last_inbound_at)
            VALUES (routed_tenant_id, m->>'wa_id', m->>'phone', left(m->>'name', 200),
                    m->>'user_id', v_ts)
            ON CONFLICT (tenant_id, wa_id) DO UPDATE
               SET profile_name = coalesce(EXCLUDED.profile_name, c.profile_name),
                   user_id = coalesce(c.user_id, EXCLUDED.user_id),
                   last_inbound_at = greatest(c.last_inbound_at, EXCLUDED.last_inbound_at),
                   updated_at = now()
            RETURNING c.id INTO v_contact;
        ELSE
            INSERT INTO public.contacts AS c (tenant_id, user_id, profile_name, last_inbound_at)
            VALUES (routed_tenant_id, m->>'user_id', left(m->>'name', 200), v_ts)
            ON CONFLICT (tenant_id, user_id) DO UPDATE
               SET profile_name = coalesce(EXCLUDED.profile_name, c.profile_name),
                   last_inbound_at = greatest(c.last_inbound_at, EXCLUDED.last_inbound_at),
                   updated_at = now()
            RETURNING c.id INTO v_contact;
        END IF;

        -- The contact's conversation that is not resolved; opened when there is none (another
        -- transaction opening one at the same moment makes the insert a no-op: look again).
        v_opened := false;
        SELECT cv.id INTO v_conversation FROM public.conversations cv
         WHERE cv.tenant_id = routed_tenant_id AND cv.contact_id = v_contact
           AND cv.status <> 'resolved';
        IF v_conversation IS NULL THEN
            INSERT INTO public.conversations (tenant_id, contact_id, wa_number_id, status,
                                              last_message_at)
            VALUES (routed_tenant_id, v_contact, routed_number_id, 'open', v_ts)
            ON CONFLICT DO NOTHING
            RETURNING id INTO v_conversation;
            v_opened := v_conversation IS NOT NULL;
            IF NOT v_opened THEN
                SELECT cv.id INTO STRICT v_conversation FROM public.conversations cv
                 WHERE cv.tenant_id = routed_tenant_id AND cv.contact_id = v_contact
                   AND cv.status <> 'resolved';
            END IF;
        END IF;

        INSERT INTO public.messages (tenant_id, conversation_id, contact_id, wa_number_id,
                                     direction, wamid, type, body, media_id, reply_to_wamid, raw,
                                     wa_timestamp, error_code, error_title)
        VALUES (routed_tenant_id, v_conversation, v_contact, routed_number_id, 'in', m->>'wamid',
                left(m->>'type', 64), m->>'body', m->>'media_id', m->>'reply_to',
                p_raw->'value'->'messages'->((m->>'i')::integer), v_ts,
                (m->>'error_code')::integer, left(m->>'error_title', 500))
        ON CONFLICT (tenant_id, wamid) DO NOTHING
        RETURNING id INTO v_message;
        CONTINUE WHEN v_message IS NULL; -- seen before

        new_messages := new_messages + 1;
        -- A customer writing wakes a snoozed or pending conversation.
        IF NOT v_opened THEN
            UPDATE public.conversations cv
               SET last_message_at = greatest(cv.last_message_at, v_ts),
                   status = 'open',
                   snoozed_until = NULL
             WHERE cv.tenant_id = routed_tenant_id AND cv.id = v_conversation;
        END IF;
        FOR e IN SELECT value FROM jsonb_array_elements(coalesce(m->'errors', '[]')) LOOP
            INSERT INTO public.wa_errors (tenant_id, webhook_event_id, wamid, code, title,
                                          message, details)
            VALUES (routed_tenant_id, event_id, m->>'wamid', (e->>'code')::bigint,
                    left(e->>'title', 500), left(e->>'message', 2000), left(e->>'details', 4000));
        END LOOP;
    END LOOP;

    FOR st IN SELECT value FROM jsonb_array_elements(p_statuses) LOOP
        v_ts := to_timestamp((st->>'ts')::bigint);
        v_status := st->>'status';
        UPDATE public.messages ms
           SET status = v_status,
               status_at = v_ts,
               sent_at = CASE WHEN v_status = 'sent' THEN coalesce(ms.sent_at, v_ts)
                              ELSE ms.sent_at END,
               error_code = CASE WHEN v_status = 'failed' THEN (st->>'error_code')::integer
                                 ELSE ms.error_code END,
               error_title = CASE WHEN v_status = 'failed' THEN left(st->>'error_title', 500)
                                  ELSE ms.error_title END
         WHERE ms.tenant_id = routed_tenant_id AND ms.wamid = st->>'wamid'
           AND public.wa_status_advances(ms.status, v_status);
        IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM public.messages ms
                                      WHERE ms.tenant_id = routed_tenant_id
                                        AND ms.wamid = st->>'wamid') THEN
            INSERT INTO public.wa_pending_statuses AS w (tenant_id, wamid, status, error_code,
                                                         error_title, at)
            VALUES (routed_tenant_id, st->>'wamid', v_status, (st->>'error_code')::integer,
                    left(st->>'error_title', 500), v_ts)
            ON CONFLICT (tenant_id, wamid) DO UPDATE
               SET status = EXCLUDED.status, error_code = EXCLUDED.error_code,
                   error_title = EXCLUDED.error_title, at = EXCLUDED.at, received_at = now()
             WHERE public.wa_status_advances(w.status, EXCLUDED.status);
        END IF;
        FOR e IN SELECT value FROM jsonb_array_elements(coalesce(st->'errors', '[]')) LOOP
            INSERT INTO public.wa_errors (tenant_id, webhook_event_id, wamid, code, title,
                                          message, details)
            VALUES (routed_tenant_id, event_id, st->>'wamid', (e->>'code')::bigint,
                    left(e->>'title', 500), left(e->>'message', 2000), left(e->>'details', 4000));
        END LOOP;
    END LOOP;
END $$;

-- The number behind /webhooks/whatsapp/{id}: its tenant, phone_number_id, sealed app secret and
-- verify token; no row when there is no such number or it is not active.
CREATE FUNCTION wa_number_webhook(p_wa_number_id bigint)
    RETURNS TABLE (tenant_id bigint, phone_number_id text, app_secret_enc bytea,
                   verify_token text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$ SELECT n.tenant_id, n.phone_number_id, n.app_secret_enc, n.verify_token
            FROM public.wa_numbers n
           WHERE n.id = p_wa_number_id AND n.status = 'active' $$;

REVOKE ALL ON FUNCTION wa_ingest_change(text, text, text, text, jsonb, jsonb, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION wa_number_webhook(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wa_ingest_change(text, text, text, text, jsonb, jsonb, jsonb) TO laris_app;
GRANT EXECUTE ON FUNCTION wa_number_webhook(bigint) TO laris_app;
