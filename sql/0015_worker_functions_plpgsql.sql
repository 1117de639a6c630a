-- The functions laris-worker and laris-events call in their loops, as PL/pgSQL.
--
-- They were SQL functions. A SECURITY DEFINER SQL function is never inlined, and PostgreSQL
-- plans its statement again on every call; for the claim queries (joins over five tables) that
-- planning cost more than the work: autoreply_claim took 9 ms per call under the webhook
-- benchmark, live_take 0.7 ms even with nothing to take, and the jobs process calls them every
-- 50 ms. PL/pgSQL keeps each statement's plan for the session, so the same queries now cost
-- their execution only. Bodies, results and privileges are unchanged (CREATE OR REPLACE keeps
-- the grants); "#variable_conflict use_column" keeps the output column names of RETURNS TABLE
-- from shadowing the table columns the queries name.

-- (was LANGUAGE sql in sql/0004_outbound.sql)
CREATE OR REPLACE FUNCTION outbox_claim(p_limit integer)
    RETURNS TABLE (tenant_id bigint, outbox_id bigint, message_id bigint, wa_number_id bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY WITH picked AS (
        SELECT o.tenant_id, o.id FROM public.outbox o
         WHERE o.relayed_at IS NULL
         ORDER BY o.id
         LIMIT greatest(least(p_limit, 1000), 1)
           FOR UPDATE SKIP LOCKED
    )
    UPDATE public.outbox o SET relayed_at = now()
      FROM picked
     WHERE o.tenant_id = picked.tenant_id AND o.id = picked.id
    RETURNING o.tenant_id, o.id, o.message_id, o.wa_number_id;
END $$;

-- (was LANGUAGE sql in sql/0014_outbound_begin_context.sql)
CREATE OR REPLACE FUNCTION outbound_begin_many(p_tenants bigint[], p_messages bigint[])
    RETURNS TABLE (tenant_id bigint, message_id bigint, type text, body text, payload jsonb,
                   to_wa_id text, phone_number_id text, access_token_enc bytea,
                   throughput_mps integer, reply_to_wamid text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY WITH wanted AS (
        SELECT DISTINCT w.t, w.m FROM unnest(p_tenants, p_messages) AS w (t, m)
    ), started AS (
        UPDATE public.messages m SET status = 'sending', status_at = now()
          FROM wanted w
         WHERE m.tenant_id = w.t AND m.id = w.m AND m.direction = 'out'
           AND m.status = 'queued'
           AND EXISTS (SELECT FROM public.wa_numbers n
                        WHERE n.tenant_id = m.tenant_id AND n.id = m.wa_number_id
                          AND n.status = 'active')
        RETURNING m.tenant_id, m.id, m.type, m.body, m.payload, m.contact_id, m.wa_number_id,
                  m.reply_to_wamid
    )
    SELECT s.tenant_id, s.id, s.type, s.body, s.payload, c.wa_id, n.phone_number_id,
           n.access_token_enc, n.throughput_mps, s.reply_to_wamid
      FROM started s
      JOIN public.contacts c ON c.tenant_id = s.tenant_id AND c.id = s.contact_id
      JOIN public.wa_numbers n ON n.tenant_id = s.tenant_id AND n.id = s.wa_number_id;
END $$;

-- (was LANGUAGE sql in sql/0014_outbound_begin_context.sql)
CREATE OR REPLACE FUNCTION outbound_begin(p_tenant bigint, p_message bigint)
    RETURNS TABLE (type text, body text, payload jsonb, to_wa_id text, phone_number_id text,
                   access_token_enc bytea, throughput_mps integer, reply_to_wamid text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT b.type, b.body, b.payload, b.to_wa_id, b.phone_number_id, b.access_token_enc,
           b.throughput_mps, b.reply_to_wamid
      FROM public.outbound_begin_many(ARRAY[p_tenant], ARRAY[p_message]) b;
END $$;

-- (was LANGUAGE sql in sql/0007_media.sql)
CREATE OR REPLACE FUNCTION media_claim(p_limit integer)
    RETURNS TABLE (tenant_id bigint, media_id bigint, graph_media_id text, attempts integer,
                   phone_number_id text, access_token_enc bytea)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY WITH picked AS (
        SELECT m.tenant_id, m.id FROM public.media m
         WHERE m.status = 'pending' AND m.direction = 'in' AND m.next_attempt_at <= now()
         ORDER BY m.next_attempt_at
         LIMIT greatest(least(p_limit, 100), 1)
           FOR UPDATE SKIP LOCKED
    ), leased AS (
        UPDATE public.media m
           SET attempts = m.attempts + 1, next_attempt_at = now() + interval '10 minutes'
          FROM picked
         WHERE m.tenant_id = picked.tenant_id AND m.id = picked.id
        RETURNING m.tenant_id, m.id, m.graph_media_id, m.attempts, m.wa_number_id
    )
    SELECT l.tenant_id, l.id, l.graph_media_id, l.attempts, n.phone_number_id,
           n.access_token_enc
      FROM leased l
      LEFT JOIN public.wa_numbers n ON n.tenant_id = l.tenant_id AND n.id = l.wa_number_id;
END $$;

-- (was LANGUAGE sql in sql/0008_inbox.sql)
CREATE OR REPLACE FUNCTION conversations_wake_snoozed(p_limit integer)
    RETURNS TABLE (tenant_id bigint, conversation_id bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY WITH due AS (
        SELECT v.tenant_id, v.id FROM public.conversations v
         WHERE v.status = 'snoozed' AND v.snoozed_until <= now()
         ORDER BY v.snoozed_until
         LIMIT greatest(least(p_limit, 1000), 1)
           FOR UPDATE SKIP LOCKED
    )
    UPDATE public.conversations v SET status = 'open', snoozed_until = NULL
      FROM due
     WHERE v.tenant_id = due.tenant_id AND v.id = due.id
    RETURNING v.tenant_id, v.id;
END $$;

-- (was LANGUAGE sql in sql/0009_distribution.sql)
CREATE OR REPLACE FUNCTION dist_waiting_tenants()
    RETURNS TABLE (tenant_id bigint, dist_version bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT w.tenant_id, coalesce(s.dist_version, 0)
      FROM (SELECT DISTINCT v.tenant_id FROM public.conversations v
             WHERE v.assignee_id IS NULL AND v.status IN ('open', 'pending')) w
      JOIN public.tenants t ON t.id = w.tenant_id AND t.status = 'active'
      LEFT JOIN public.tenant_settings s ON s.tenant_id = w.tenant_id
     WHERE coalesce(s.distribution_mode, 'round_robin') = 'round_robin'
       AND EXISTS (SELECT 1 FROM public.users u
                    WHERE u.tenant_id = w.tenant_id AND u.role = 'agent' AND u.active
                      AND u.presence = 'online'
                      AND (SELECT count(*) FROM public.conversations o
                            WHERE o.tenant_id = u.tenant_id AND o.assignee_id = u.id
                              AND o.status <> 'resolved') < u.max_chats);
END $$;

-- (was LANGUAGE sql in sql/0009_distribution.sql)
CREATE OR REPLACE FUNCTION dist_agents(p_tenant bigint)
    RETURNS TABLE (user_id bigint, max_chats integer, load bigint, available boolean,
                   dist_version bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT u.id, u.max_chats,
           (SELECT count(*) FROM public.conversations v
             WHERE v.tenant_id = u.tenant_id AND v.assignee_id = u.id
               AND v.status <> 'resolved'),
           u.presence = 'online',
           (SELECT coalesce(max(s.dist_version), 0) FROM public.tenant_settings s
             WHERE s.tenant_id = p_tenant)
      FROM public.users u
     WHERE u.tenant_id = p_tenant AND u.role = 'agent' AND u.active
     ORDER BY (SELECT max(a.at) FROM public.conversation_assignments a
                WHERE a.tenant_id = u.tenant_id AND a.to_user_id = u.id) NULLS FIRST, u.id;
END $$;

-- (was LANGUAGE sql in sql/0012_service_hours.sql)
CREATE OR REPLACE FUNCTION autoreply_claim(p_limit integer)
    RETURNS TABLE (tenant_id bigint, message_id bigint, conversation_id bigint, body text,
                   received_at timestamptz, first_message boolean, opted_out boolean,
                   can_reply boolean, needs_due boolean, timezone text, business_hours jsonb,
                   closed_dates text, greeting_enabled boolean, away_enabled boolean,
                   sla_first_response_seconds integer, sla_out_of_hours_seconds integer,
                   has_rules boolean)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY WITH picked AS (
        SELECT q.tenant_id, q.id FROM public.autoreply_queue q
         ORDER BY q.id
         LIMIT greatest(least(p_limit, 500), 1)
           FOR UPDATE SKIP LOCKED
    ), gone AS (
        DELETE FROM public.autoreply_queue q USING picked
         WHERE q.tenant_id = picked.tenant_id AND q.id = picked.id
        RETURNING q.tenant_id, q.id, q.message_id
    )
    SELECT g.tenant_id, m.id, m.conversation_id, m.body, m.created_at,
           NOT EXISTS (SELECT 1 FROM public.messages e
                        WHERE e.tenant_id = m.tenant_id
                          AND e.conversation_id = m.conversation_id
                          AND e.direction = 'in' AND e.id < m.id),
           c.marketing_opt_out_at IS NOT NULL,
           v.wa_number_id IS NOT NULL AND t.status = 'active',
           v.first_response_at IS NULL AND v.sla_due_at IS NULL,
           t.timezone, s.business_hours, coalesce(to_jsonb(s.closed_dates), '[]'::jsonb)::text,
           coalesce(s.greeting_enabled, false), coalesce(s.away_enabled, false),
           coalesce(s.sla_first_response_seconds, 300), s.sla_out_of_hours_seconds,
           EXISTS (SELECT 1 FROM public.auto_replies r
                    WHERE r.tenant_id = g.tenant_id AND r.active)
      FROM gone g
      JOIN public.messages m ON m.tenant_id = g.tenant_id AND m.id = g.message_id
      JOIN public.conversations v ON v.tenant_id = m.tenant_id AND v.id = m.conversation_id
      JOIN public.contacts c ON c.tenant_id = m.tenant_id AND c.id = m.contact_id
      JOIN public.tenants t ON t.id = g.tenant_id
      LEFT JOIN public.tenant_settings s ON s.tenant_id = g.tenant_id
     ORDER BY g.id;
END $$;

-- (was LANGUAGE sql in sql/0012_service_hours.sql)
CREATE OR REPLACE FUNCTION autoreply_rules(p_tenant bigint)
    RETURNS TABLE (id bigint, match text, keywords_norm text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT r.id, r.match, r.keywords_norm FROM public.auto_replies r
     WHERE r.tenant_id = p_tenant AND r.active
     ORDER BY r.id
     LIMIT 200;
END $$;

-- (was LANGUAGE sql in sql/0012_service_hours.sql)
CREATE OR REPLACE FUNCTION sla_times_pending(p_limit integer)
    RETURNS TABLE (tenant_id bigint, conversation_id bigint, first_inbound_at timestamptz,
                   first_response_at timestamptz, resolved_at timestamptz, timezone text,
                   business_hours jsonb, closed_dates text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT v.tenant_id, v.id, v.first_inbound_at,
           CASE WHEN v.first_response_business_seconds IS NULL THEN v.first_response_at END,
           CASE WHEN v.resolution_business_seconds IS NULL THEN v.resolved_at END,
           t.timezone, s.business_hours, coalesce(to_jsonb(s.closed_dates), '[]'::jsonb)::text
      FROM public.conversations v
      JOIN public.tenants t ON t.id = v.tenant_id
      LEFT JOIN public.tenant_settings s ON s.tenant_id = v.tenant_id
     WHERE v.first_inbound_at IS NOT NULL
       AND ((v.first_response_at IS NOT NULL AND v.first_response_business_seconds IS NULL)
            OR (v.resolved_at IS NOT NULL AND v.resolution_business_seconds IS NULL))
     LIMIT greatest(least(p_limit, 500), 1);
END $$;

-- (was LANGUAGE sql in sql/0013_live.sql)
CREATE OR REPLACE FUNCTION live_take(p_limit integer)
    RETURNS TABLE (channel text, seq bigint, payload text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY WITH picked AS (
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
     ORDER BY x.id;
END $$;

-- (was LANGUAGE sql in sql/0012_service_hours.sql)
CREATE OR REPLACE FUNCTION sla_set_due(p_tenant bigint, p_conv bigint, p_due timestamptz) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    UPDATE public.conversations SET sla_due_at = p_due
     WHERE tenant_id = p_tenant AND id = p_conv AND sla_due_at IS NULL
       AND first_response_at IS NULL;
END $$;

-- (was LANGUAGE sql in sql/0012_service_hours.sql)
CREATE OR REPLACE FUNCTION sla_times_record(p_tenant bigint, p_conv bigint, p_first_response bigint,
                                 p_resolution bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    UPDATE public.conversations
       SET first_response_business_seconds =
               coalesce(first_response_business_seconds, p_first_response),
           resolution_business_seconds = coalesce(resolution_business_seconds, p_resolution),
           resolution_seconds = CASE WHEN p_resolution IS NOT NULL
               THEN floor(extract(epoch FROM resolved_at - first_inbound_at))::bigint
               ELSE resolution_seconds END
     WHERE tenant_id = p_tenant AND id = p_conv;
END $$;

-- (was LANGUAGE sql in sql/0006_worker_reliability.sql)
CREATE OR REPLACE FUNCTION outbound_expire(p_grace_ms integer)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    expired integer;
BEGIN
    UPDATE public.messages
       SET status = 'unknown', status_at = now(),
           error_title = 'no answer from WhatsApp',
           error_message = 'The sender stopped while sending; the message may or may '
                           || 'not have been sent, so it is not sent again.'
     WHERE status = 'sending' AND direction = 'out'
       AND status_at < now() - make_interval(secs => greatest(p_grace_ms, 1000) / 1000.0);
    GET DIAGNOSTICS expired = ROW_COUNT;
    RETURN expired;
END $$;

-- (was LANGUAGE sql in sql/0009_distribution.sql)
CREATE OR REPLACE FUNCTION dist_take_waiting(p_tenant bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    oldest bigint;
BEGIN
    SELECT v.id INTO oldest FROM public.conversations v
     WHERE v.tenant_id = p_tenant AND v.assignee_id IS NULL
       AND v.status IN ('open', 'pending')
     ORDER BY v.opened_at, v.id
     LIMIT 1
       FOR UPDATE SKIP LOCKED;
    RETURN oldest;
END $$;
