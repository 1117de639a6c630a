-- Distribution: per-tenant settings, the history of every change of a chat's owner, escalation,
-- and the narrow functions laris-worker's assigner runs (as laris_worker, across tenants).
--
-- PostgreSQL is the truth: a chat is assigned by a conditional UPDATE (assignee_id IS NULL), so
-- two processes never assign it twice, and every assignment writes one conversation_assignments
-- row. Redis (src/kv/assign.c) holds the round-robin order, loads and capacities per tenant,
-- rebuilt from here whenever tenant_settings.dist_version moves: a trigger bumps it on every
-- change Redis did not make itself (presence, capacity, role, a chat claimed, transferred,
-- resolved or freed).

-- One row per tenant; later issues add business hours, SLA, greetings. A tenant without a row
-- has the defaults (the API and the worker read them with coalesce).
CREATE TABLE tenant_settings (
    tenant_id              bigint NOT NULL REFERENCES tenants (id),
    distribution_mode      text NOT NULL DEFAULT 'round_robin'
                           CHECK (distribution_mode IN ('round_robin', 'manual')),
    offline_grace_seconds  integer NOT NULL DEFAULT 300
                           CHECK (offline_grace_seconds BETWEEN 0 AND 86400),
    dist_version           bigint NOT NULL DEFAULT 1,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id)
);

-- Who got a chat, from whom, why and by whom. to_user_id NULL: the chat went back to waiting
-- (its owner stayed offline past the grace period). by_user_id NULL: the assigner did it.
CREATE TABLE conversation_assignments (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    conversation_id  bigint NOT NULL,
    from_user_id     bigint,
    to_user_id       bigint,
    reason           text NOT NULL
                     CHECK (reason IN ('auto', 'claim', 'transfer', 'escalate', 'redistribute')),
    by_user_id       bigint,
    note             text CHECK (length(note) <= 500),
    at               timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
    FOREIGN KEY (tenant_id, from_user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, to_user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, by_user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX conversation_assignments_conv_idx
    ON conversation_assignments (tenant_id, conversation_id, id);
CREATE INDEX conversation_assignments_to_idx
    ON conversation_assignments (tenant_id, to_user_id, at DESC);

-- Escalation: every supervisor sees an escalated chat as such; the reason is kept.
ALTER TABLE conversations
    ADD COLUMN escalated_at       timestamptz,
    ADD COLUMN escalated_by       bigint,
    ADD COLUMN escalation_reason  text CHECK (length(escalation_reason) BETWEEN 1 AND 500),
    ADD CONSTRAINT conversations_escalated_by_fk FOREIGN KEY (tenant_id, escalated_by)
        REFERENCES users (tenant_id, id);

-- Chats waiting for an owner, oldest first (also how the assigner finds tenants with work: the
-- index holds waiting chats only).
CREATE INDEX conversations_waiting_idx ON conversations (tenant_id, opened_at, id)
    WHERE assignee_id IS NULL AND status IN ('open', 'pending');

ALTER TABLE tenant_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_settings
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE conversation_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversation_assignments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversation_assignments
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

GRANT SELECT, INSERT, UPDATE ON tenant_settings TO laris_app;
GRANT SELECT, INSERT ON conversation_assignments TO laris_app;

-- Marks the tenant's Redis distribution state stale. Runs as the caller (RLS keeps laris_app
-- inside its tenant); the assigner's own assignments set laris.dist_auto and are not counted,
-- since Redis made them.
CREATE FUNCTION dist_bump(p_tenant bigint) RETURNS void
    LANGUAGE sql SET search_path = pg_catalog, public, pg_temp
    AS $$
        INSERT INTO public.tenant_settings (tenant_id) VALUES (p_tenant)
        ON CONFLICT (tenant_id) DO UPDATE
           SET dist_version = tenant_settings.dist_version + 1
    $$;

CREATE FUNCTION dist_users_changed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    IF NEW.presence IS DISTINCT FROM OLD.presence OR NEW.max_chats <> OLD.max_chats
       OR NEW.active <> OLD.active OR NEW.role <> OLD.role THEN
        PERFORM public.dist_bump(NEW.tenant_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER users_dist_changed AFTER UPDATE OF presence, max_chats, active, role ON users
    FOR EACH ROW EXECUTE FUNCTION dist_users_changed();

CREATE FUNCTION dist_conversations_changed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    IF (NEW.assignee_id IS DISTINCT FROM OLD.assignee_id
        OR (NEW.status = 'resolved') IS DISTINCT FROM (OLD.status = 'resolved'))
       AND coalesce(current_setting('laris.dist_auto', true), '') <> 'on' THEN
        PERFORM public.dist_bump(NEW.tenant_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER conversations_dist_changed AFTER UPDATE OF assignee_id, status ON conversations
    FOR EACH ROW EXECUTE FUNCTION dist_conversations_changed();

-- The assigner: tenants in round-robin mode that have chats waiting and an agent online under
-- capacity to take them, with the version of their distribution state.
CREATE FUNCTION dist_waiting_tenants()
    RETURNS TABLE (tenant_id bigint, dist_version bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT w.tenant_id, coalesce(s.dist_version, 0)
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
                                  AND o.status <> 'resolved') < u.max_chats)
    $$;

-- The assigner: what Redis needs for a tenant. Every active agent with capacity and open load;
-- available (online) ones in round-robin order: least recently assigned first.
CREATE FUNCTION dist_agents(p_tenant bigint)
    RETURNS TABLE (user_id bigint, max_chats integer, load bigint, available boolean,
                   dist_version bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT u.id, u.max_chats,
               (SELECT count(*) FROM public.conversations v
                 WHERE v.tenant_id = u.tenant_id AND v.assignee_id = u.id
                   AND v.status <> 'resolved'),
               u.presence = 'online',
               (SELECT coalesce(max(s.dist_version), 0) FROM public.tenant_settings s
                 WHERE s.tenant_id = p_tenant)
          FROM public.users u
         WHERE u.tenant_id = p_tenant AND u.role = 'agent' AND u.active
         ORDER BY (SELECT max(a.at) FROM public.conversation_assignments a
                    WHERE a.tenant_id = u.tenant_id AND a.to_user_id = u.id) NULLS FIRST, u.id
    $$;

-- The assigner: the oldest waiting chat of a tenant that no other assigner holds; the row stays
-- locked until the caller's transaction ends.
CREATE FUNCTION dist_take_waiting(p_tenant bigint) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT v.id FROM public.conversations v
         WHERE v.tenant_id = p_tenant AND v.assignee_id IS NULL
           AND v.status IN ('open', 'pending')
         ORDER BY v.opened_at, v.id
         LIMIT 1
           FOR UPDATE SKIP LOCKED
    $$;

-- The assigner: gives chat p_conv to agent p_agent if both still allow it. 'assigned';
-- 'taken' (it has an owner or is resolved: nothing changed); 'full' or 'unavailable' (Redis
-- was stale about the agent: the chat is left alone and dist_version moves, so Redis is
-- rebuilt). The agent's row is locked so two assigners
-- cannot both fill its last place.
CREATE FUNCTION dist_assign(p_tenant bigint, p_conv bigint, p_agent bigint) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    u public.users%ROWTYPE;
    n integer;
BEGIN
    SELECT * INTO u FROM public.users
     WHERE tenant_id = p_tenant AND id = p_agent FOR UPDATE;
    IF NOT FOUND OR NOT u.active OR u.role <> 'agent' OR u.presence <> 'online' THEN
        PERFORM public.dist_bump(p_tenant);
        RETURN 'unavailable';
    END IF;
    IF (SELECT count(*) FROM public.conversations
         WHERE tenant_id = p_tenant AND assignee_id = p_agent AND status <> 'resolved')
       >= u.max_chats THEN
        PERFORM public.dist_bump(p_tenant);
        RETURN 'full';
    END IF;
    PERFORM set_config('laris.dist_auto', 'on', true);
    UPDATE public.conversations SET assignee_id = p_agent, assigned_at = now()
     WHERE tenant_id = p_tenant AND id = p_conv AND assignee_id IS NULL
       AND status IN ('open', 'pending');
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('laris.dist_auto', 'off', true);
    IF n = 0 THEN
        RETURN 'taken';
    END IF;
    INSERT INTO public.conversation_assignments (tenant_id, conversation_id, to_user_id, reason)
    VALUES (p_tenant, p_conv, p_agent, 'auto');
    RETURN 'assigned';
END $$;

-- The assigner: chats of agents offline for longer than their tenant's grace period go back to
-- waiting (a 'redistribute' history row each); returns how many.
CREATE FUNCTION dist_redistribute() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    n integer;
BEGIN
    WITH gone AS (
        SELECT u.tenant_id, u.id
          FROM public.users u
          LEFT JOIN public.tenant_settings s ON s.tenant_id = u.tenant_id
         WHERE (u.presence = 'offline' OR NOT u.active)
           AND u.presence_at <= now() - make_interval(secs => coalesce(s.offline_grace_seconds, 300))
    ), freed AS (
        UPDATE public.conversations v SET assignee_id = NULL, assigned_at = NULL
          FROM gone
         WHERE v.tenant_id = gone.tenant_id AND v.assignee_id = gone.id
           AND v.status IN ('open', 'pending')
        RETURNING v.tenant_id, v.id, gone.id AS from_user
    )
    INSERT INTO public.conversation_assignments (tenant_id, conversation_id, from_user_id, reason)
    SELECT tenant_id, id, from_user, 'redistribute' FROM freed;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

REVOKE ALL ON FUNCTION dist_bump(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION dist_users_changed() FROM PUBLIC;
REVOKE ALL ON FUNCTION dist_conversations_changed() FROM PUBLIC;
REVOKE ALL ON FUNCTION dist_waiting_tenants() FROM PUBLIC;
REVOKE ALL ON FUNCTION dist_agents(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION dist_take_waiting(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION dist_assign(bigint, bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION dist_redistribute() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dist_bump(bigint) TO laris_app;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_worker') THEN
        GRANT EXECUTE ON FUNCTION dist_waiting_tenants() TO laris_worker;
        GRANT EXECUTE ON FUNCTION dist_agents(bigint) TO laris_worker;
        GRANT EXECUTE ON FUNCTION dist_take_waiting(bigint) TO laris_worker;
        GRANT EXECUTE ON FUNCTION dist_assign(bigint, bigint, bigint) TO laris_worker;
        GRANT EXECUTE ON FUNCTION dist_redistribute() TO laris_worker;
    END IF;
END $$;
