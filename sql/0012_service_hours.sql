-- Business hours, automatic replies (greeting, away, keywords) and first-response SLA.
--
-- Settings live in tenant_settings (0009): the weekly windows as JSON (NULL: always open),
-- closed dates, greeting and away texts, SLA targets. Keyword rules are auto_replies rows.
--
-- New customer messages are found without touching the ingest code: a trigger on messages
-- (direction 'in') queues each into autoreply_queue, which laris-worker drains with FOR UPDATE
-- SKIP LOCKED through the SECURITY DEFINER autoreply_* functions (laris_worker has no table
-- privilege). The worker decides with the business-hours module (src/core/hours.c) and sends
-- through autoreply_send, which stores an outbound message marked automatic (auto_kind) with
-- its outbox row. autoreply_log has one row per (conversation, kind, key, period), so each reply
-- goes at most once per period even when two workers or a retry handle the same message.
--
-- SLA per conversation: first_inbound_at (a trigger: the customer's first message),
-- first_response_at (a trigger: the first outbound message that is not automatic), sla_due_at
-- (the worker, in business time), sla_warned_at and sla_breached_at (sla_sweep, with an
-- sla_events row each for live events), and first-response and resolution times in wall-clock
-- and business seconds (the worker, once known).
--
-- The queue, the log and the SLA events only describe a message or a chat: they go with it
-- (ON DELETE CASCADE), so removing a chat is never blocked by them.

ALTER TABLE tenant_settings
    ADD COLUMN business_hours    jsonb CHECK (business_hours IS NULL
                                              OR jsonb_typeof(business_hours) = 'array'),
    ADD COLUMN closed_dates      date[] NOT NULL DEFAULT '{}'
                                 CHECK (cardinality(closed_dates) <= 400),
    ADD COLUMN greeting_enabled  boolean NOT NULL DEFAULT false,
    ADD COLUMN greeting_text     text CHECK (length(greeting_text) BETWEEN 1 AND 1000),
    ADD COLUMN away_enabled      boolean NOT NULL DEFAULT false,
    ADD COLUMN away_text         text CHECK (length(away_text) BETWEEN 1 AND 1000),
    ADD COLUMN sla_first_response_seconds integer NOT NULL DEFAULT 300
                                 CHECK (sla_first_response_seconds BETWEEN 1 AND 604800),
    ADD COLUMN sla_out_of_hours_seconds integer
                                 CHECK (sla_out_of_hours_seconds BETWEEN 1 AND 604800),
    ADD COLUMN sla_warning_seconds integer NOT NULL DEFAULT 60
                                 CHECK (sla_warning_seconds BETWEEN 0 AND 86400),
    ADD COLUMN sla_auto_escalate boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT tenant_settings_greeting_chk
        CHECK (NOT greeting_enabled OR greeting_text IS NOT NULL),
    ADD CONSTRAINT tenant_settings_away_chk CHECK (NOT away_enabled OR away_text IS NOT NULL);

-- Keyword rules: keywords as the owner typed them and normalized (src/core/textnorm.c).
CREATE TABLE auto_replies (
    tenant_id         bigint NOT NULL REFERENCES tenants (id),
    id                bigint GENERATED ALWAYS AS IDENTITY,
    keywords          text[] NOT NULL CHECK (cardinality(keywords) BETWEEN 1 AND 20),
    keywords_norm     text[] NOT NULL CHECK (cardinality(keywords_norm) = cardinality(keywords)),
    match             text NOT NULL CHECK (match IN ('exact', 'contains')),
    reply_text        text NOT NULL CHECK (length(reply_text) BETWEEN 1 AND 1000),
    active            boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- Customer messages waiting for the auto-replier.
CREATE TABLE autoreply_queue (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    message_id       bigint NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX autoreply_queue_order_idx ON autoreply_queue (id);

-- What was sent automatically, once per (conversation, kind, key, period): greeting (key and
-- period ''), away (period: the instant the closed period ends), keyword (key: the rule's id;
-- period: open or closed and the instant that period ends; 'always' without business hours).
CREATE TABLE autoreply_log (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    conversation_id  bigint NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('greeting', 'away', 'keyword')),
    key              text NOT NULL,
    period           text NOT NULL,
    message_id       bigint NOT NULL,
    at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, conversation_id, kind, key, period),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id)
        ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE
);

-- SLA warnings and breaches, for the live-events publisher: who should hear (the assignee at
-- the time; supervisors always), and whether it was published (published_at, set by that
-- publisher later).
CREATE TABLE sla_events (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    conversation_id  bigint NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('warning', 'breach')),
    assignee_id      bigint,
    due_at           timestamptz NOT NULL,
    escalated_to     bigint,
    at               timestamptz NOT NULL DEFAULT now(),
    published_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id)
        ON DELETE CASCADE
);
CREATE INDEX sla_events_unpublished_idx ON sla_events (id) WHERE published_at IS NULL;

ALTER TABLE messages
    ADD COLUMN auto_kind text CHECK (auto_kind IN ('greeting', 'away', 'keyword'));

ALTER TABLE conversations
    ADD COLUMN first_inbound_at  timestamptz,
    ADD COLUMN first_response_at timestamptz,
    ADD COLUMN sla_due_at        timestamptz,
    ADD COLUMN sla_warned_at     timestamptz,
    ADD COLUMN sla_breached_at   timestamptz,
    ADD COLUMN first_response_seconds          bigint,
    ADD COLUMN first_response_business_seconds bigint,
    ADD COLUMN resolution_seconds              bigint,
    ADD COLUMN resolution_business_seconds     bigint;

-- The sweep's work: chats waiting for a first answer with a due time not yet breached.
CREATE INDEX conversations_sla_open_idx ON conversations (sla_due_at)
    WHERE first_response_at IS NULL AND sla_breached_at IS NULL AND sla_due_at IS NOT NULL
      AND status <> 'resolved';
-- Chats whose times in business seconds are still to be computed.
CREATE INDEX conversations_sla_times_idx ON conversations (tenant_id, id)
    WHERE first_inbound_at IS NOT NULL
      AND ((first_response_at IS NOT NULL AND first_response_business_seconds IS NULL)
           OR (resolved_at IS NOT NULL AND resolution_business_seconds IS NULL));

ALTER TABLE auto_replies ENABLE ROW LEVEL SECURITY;
ALTER TABLE auto_replies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON auto_replies
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));
ALTER TABLE autoreply_queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE autoreply_queue FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON autoreply_queue
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));
ALTER TABLE autoreply_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE autoreply_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON autoreply_log
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));
ALTER TABLE sla_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE sla_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sla_events
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

GRANT SELECT, INSERT, UPDATE, DELETE ON auto_replies TO laris_app;
GRANT SELECT ON autoreply_log TO laris_app;
GRANT SELECT ON sla_events TO laris_app;

-- The triggers run as the schema owner (SECURITY DEFINER): laris_app inserts messages but has
-- no privilege on the queue.
CREATE FUNCTION service_message_in() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    INSERT INTO public.autoreply_queue (tenant_id, message_id) VALUES (NEW.tenant_id, NEW.id);
    UPDATE public.conversations SET first_inbound_at = NEW.created_at
     WHERE tenant_id = NEW.tenant_id AND id = NEW.conversation_id AND first_inbound_at IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER messages_service_in AFTER INSERT ON messages
    FOR EACH ROW WHEN (NEW.direction = 'in') EXECUTE FUNCTION service_message_in();

-- The first answer by a person (or a program acting with an API token): automatic replies do
-- not count. Only after the customer wrote (a message sent first answers nothing).
CREATE FUNCTION service_message_out() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    UPDATE public.conversations
       SET first_response_at = NEW.created_at,
           first_response_seconds =
               floor(extract(epoch FROM NEW.created_at - first_inbound_at))::bigint
     WHERE tenant_id = NEW.tenant_id AND id = NEW.conversation_id
       AND first_inbound_at IS NOT NULL AND first_response_at IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER messages_service_out AFTER INSERT ON messages
    FOR EACH ROW WHEN (NEW.direction = 'out' AND NEW.auto_kind IS NULL)
    EXECUTE FUNCTION service_message_out();

-- The worker: up to p_limit queued customer messages (removed from the queue; the caller's
-- transaction rolls back on failure and they come back) with everything the decision needs.
CREATE FUNCTION autoreply_claim(p_limit integer)
    RETURNS TABLE (tenant_id bigint, message_id bigint, conversation_id bigint, body text,
                   received_at timestamptz, first_message boolean, opted_out boolean,
                   can_reply boolean, needs_due boolean, timezone text, business_hours jsonb,
                   closed_dates text, greeting_enabled boolean, away_enabled boolean,
                   sla_first_response_seconds integer, sla_out_of_hours_seconds integer,
                   has_rules boolean)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        WITH picked AS (
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
         ORDER BY g.id
    $$;

-- The worker: a tenant's active keyword rules.
CREATE FUNCTION autoreply_rules(p_tenant bigint)
    RETURNS TABLE (id bigint, match text, keywords_norm text[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT r.id, r.match, r.keywords_norm FROM public.auto_replies r
         WHERE r.tenant_id = p_tenant AND r.active
         ORDER BY r.id
         LIMIT 200
    $$;

-- The worker: sends one automatic reply of kind p_kind in conversation p_conv unless one was
-- sent for (p_key, p_period) already or the contact opted out (service auto-replies respect the
-- opt-out too). The text comes from the settings or the rule, read here. Returns the message id,
-- or NULL when nothing was sent.
CREATE FUNCTION autoreply_send(p_tenant bigint, p_conv bigint, p_kind text, p_key text,
                               p_period text)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    v public.conversations%ROWTYPE;
    reply text;
    msg bigint;
    n integer;
BEGIN
    SELECT * INTO v FROM public.conversations WHERE tenant_id = p_tenant AND id = p_conv;
    IF NOT FOUND OR v.wa_number_id IS NULL
       OR EXISTS (SELECT 1 FROM public.contacts c WHERE c.tenant_id = p_tenant
                     AND c.id = v.contact_id AND c.marketing_opt_out_at IS NOT NULL) THEN
        RETURN NULL;
    END IF;
    IF p_kind = 'greeting' THEN
        SELECT s.greeting_text INTO reply FROM public.tenant_settings s
         WHERE s.tenant_id = p_tenant AND s.greeting_enabled;
    ELSIF p_kind = 'away' THEN
        SELECT s.away_text INTO reply FROM public.tenant_settings s
         WHERE s.tenant_id = p_tenant AND s.away_enabled;
    ELSIF p_kind = 'keyword' THEN
        SELECT r.reply_text INTO reply FROM public.auto_replies r
         WHERE r.tenant_id = p_tenant AND r.id::text = p_key AND r.active;
    END IF;
    IF reply IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO public.messages (tenant_id, conversation_id, contact_id, wa_number_id, direction,
                                 type, body, status, status_at, auto_kind)
    VALUES (p_tenant, p_conv, v.contact_id, v.wa_number_id, 'out', 'text', reply, 'queued', now(),
            p_kind)
    RETURNING id INTO msg;
    INSERT INTO public.autoreply_log (tenant_id, conversation_id, kind, key, period, message_id)
    VALUES (p_tenant, p_conv, p_kind, p_key, p_period, msg)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        -- Sent for this period already (perhaps by another worker a moment ago).
        DELETE FROM public.messages WHERE tenant_id = p_tenant AND id = msg;
        RETURN NULL;
    END IF;
    INSERT INTO public.outbox (tenant_id, message_id, wa_number_id)
    VALUES (p_tenant, msg, v.wa_number_id);
    UPDATE public.conversations SET last_message_at = now()
     WHERE tenant_id = p_tenant AND id = p_conv;
    RETURN msg;
END $$;

-- The worker: the first-response due time of a chat still waiting for its first answer.
CREATE FUNCTION sla_set_due(p_tenant bigint, p_conv bigint, p_due timestamptz) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        UPDATE public.conversations SET sla_due_at = p_due
         WHERE tenant_id = p_tenant AND id = p_conv AND sla_due_at IS NULL
           AND first_response_at IS NULL
    $$;

-- The worker: warnings (due within the tenant's warning lead) and breaches (past due) of chats
-- with no answer yet, each recorded once with an sla_events row; a breach escalates when the
-- tenant asks for it: marked escalated for every supervisor and given to the online
-- supervisor with the fewest open chats if there is one (as POST …/escalate does). Returns how
-- many events it recorded.
CREATE FUNCTION sla_sweep() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    r record;
    sup bigint;
    n integer := 0;
BEGIN
    FOR r IN
        SELECT v.tenant_id, v.id, v.assignee_id, v.sla_due_at, v.sla_warned_at,
               coalesce(s.sla_warning_seconds, 60) AS lead,
               coalesce(s.sla_auto_escalate, false) AS escalate
          FROM public.conversations v
          LEFT JOIN public.tenant_settings s ON s.tenant_id = v.tenant_id
         WHERE v.first_response_at IS NULL AND v.sla_breached_at IS NULL
           AND v.sla_due_at IS NOT NULL AND v.status <> 'resolved'
           AND v.sla_due_at <= now() + make_interval(secs => coalesce(s.sla_warning_seconds, 60))
         ORDER BY v.sla_due_at
         LIMIT 500
           FOR UPDATE OF v SKIP LOCKED
    LOOP
        IF r.sla_due_at > now() THEN
            IF r.sla_warned_at IS NULL THEN
                UPDATE public.conversations SET sla_warned_at = now()
                 WHERE tenant_id = r.tenant_id AND id = r.id;
                INSERT INTO public.sla_events (tenant_id, conversation_id, kind, assignee_id,
                                               due_at)
                VALUES (r.tenant_id, r.id, 'warning', r.assignee_id, r.sla_due_at);
                n := n + 1;
            END IF;
            CONTINUE;
        END IF;
        sup := NULL;
        IF r.escalate THEN
            SELECT u.id INTO sup FROM public.users u
             WHERE u.tenant_id = r.tenant_id AND u.role = 'supervisor' AND u.active
               AND u.presence = 'online'
             ORDER BY (SELECT count(*) FROM public.conversations o
                        WHERE o.tenant_id = u.tenant_id AND o.assignee_id = u.id
                          AND o.status <> 'resolved'), u.id
             LIMIT 1;
            UPDATE public.conversations
               SET escalated_at = now(), escalated_by = NULL,
                   escalation_reason = 'First-response SLA breached'
             WHERE tenant_id = r.tenant_id AND id = r.id;
            IF sup IS NOT NULL AND sup IS DISTINCT FROM r.assignee_id THEN
                UPDATE public.conversations SET assignee_id = sup, assigned_at = now()
                 WHERE tenant_id = r.tenant_id AND id = r.id;
                INSERT INTO public.conversation_assignments
                       (tenant_id, conversation_id, from_user_id, to_user_id, reason, note)
                VALUES (r.tenant_id, r.id, r.assignee_id, sup, 'escalate',
                        'First-response SLA breached');
            END IF;
        END IF;
        UPDATE public.conversations SET sla_breached_at = now()
         WHERE tenant_id = r.tenant_id AND id = r.id;
        INSERT INTO public.sla_events (tenant_id, conversation_id, kind, assignee_id, due_at,
                                       escalated_to)
        VALUES (r.tenant_id, r.id, 'breach', r.assignee_id, r.sla_due_at, sup);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;

-- The worker: chats whose first-response or resolution time is known but not yet counted in
-- business seconds, with their tenant's schedule.
CREATE FUNCTION sla_times_pending(p_limit integer)
    RETURNS TABLE (tenant_id bigint, conversation_id bigint, first_inbound_at timestamptz,
                   first_response_at timestamptz, resolved_at timestamptz, timezone text,
                   business_hours jsonb, closed_dates text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT v.tenant_id, v.id, v.first_inbound_at,
               CASE WHEN v.first_response_business_seconds IS NULL THEN v.first_response_at END,
               CASE WHEN v.resolution_business_seconds IS NULL THEN v.resolved_at END,
               t.timezone, s.business_hours, coalesce(to_jsonb(s.closed_dates), '[]'::jsonb)::text
          FROM public.conversations v
          JOIN public.tenants t ON t.id = v.tenant_id
          LEFT JOIN public.tenant_settings s ON s.tenant_id = v.tenant_id
         WHERE v.first_inbound_at IS NOT NULL
           AND ((v.first_response_at IS NOT NULL AND v.first_response_business_seconds IS NULL)
                OR (v.resolved_at IS NOT NULL AND v.resolution_business_seconds IS NULL))
         LIMIT greatest(least(p_limit, 500), 1)
    $$;

-- The worker: records business seconds computed for sla_times_pending's rows (NULL: leave).
CREATE FUNCTION sla_times_record(p_tenant bigint, p_conv bigint, p_first_response bigint,
                                 p_resolution bigint) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        UPDATE public.conversations
           SET first_response_business_seconds =
                   coalesce(first_response_business_seconds, p_first_response),
               resolution_business_seconds = coalesce(resolution_business_seconds, p_resolution),
               resolution_seconds = CASE WHEN p_resolution IS NOT NULL
                   THEN floor(extract(epoch FROM resolved_at - first_inbound_at))::bigint
                   ELSE resolution_seconds END
         WHERE tenant_id = p_tenant AND id = p_conv
    $$;

REVOKE ALL ON FUNCTION service_message_in() FROM PUBLIC;
REVOKE ALL ON FUNCTION service_message_out() FROM PUBLIC;
REVOKE ALL ON FUNCTION autoreply_claim(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION autoreply_rules(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION autoreply_send(bigint, bigint, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION sla_set_due(bigint, bigint, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION sla_sweep() FROM PUBLIC;
REVOKE ALL ON FUNCTION sla_times_pending(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION sla_times_record(bigint, bigint, bigint, bigint) FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_worker') THEN
        GRANT EXECUTE ON FUNCTION autoreply_claim(integer) TO laris_worker;
        GRANT EXECUTE ON FUNCTION autoreply_rules(bigint) TO laris_worker;
        GRANT EXECUTE ON FUNCTION autoreply_send(bigint, bigint, text, text, text) TO laris_worker;
        GRANT EXECUTE ON FUNCTION sla_set_due(bigint, bigint, timestamptz) TO laris_worker;
        GRANT EXECUTE ON FUNCTION sla_sweep() TO laris_worker;
        GRANT EXECUTE ON FUNCTION sla_times_pending(integer) TO laris_worker;
        GRANT EXECUTE ON FUNCTION sla_times_record(bigint, bigint, bigint, bigint)
            TO laris_worker;
    END IF;
END $$;
