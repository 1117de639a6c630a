-- SLA warnings and breaches reach people live: sla_sweep() (0012) recorded them in sla_events
-- for "the live-events publisher" but nothing published them. It now calls live_emit() (0013)
-- in the same transaction as the sla_events row, so a warning is published exactly when it is
-- recorded (a rolled-back sweep leaves neither), and marks the row published.
--
-- Who hears: the tenant channel (as every live event) and the agent channels of the chat's
-- assignee at that moment, the tenant's active supervisors and its owner; on a breach that
-- escalates, also the supervisor the chat was given to. Shape (README "Live events"):
-- {conversation_id, due_at, level: 'warning' | 'breached'}.
--
-- Otherwise the sweep is 0012's: same selection, same once-only marks, same escalation.

-- The users to tell about a chat's SLA: its assignee (may be NULL), the supervisors and the
-- owner of the tenant (active ones), and extra (the supervisor a breach escalated to).
CREATE FUNCTION sla_audience(p_tenant bigint, p_assignee bigint, p_extra bigint)
    RETURNS bigint[]
    LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT array_remove(ARRAY[p_assignee, p_extra], NULL)
               || coalesce(array_agg(u.id ORDER BY u.id), ARRAY[]::bigint[])
          FROM public.users u
         WHERE u.tenant_id = p_tenant AND u.active AND u.role IN ('supervisor', 'owner')
           AND u.id IS DISTINCT FROM p_assignee AND u.id IS DISTINCT FROM p_extra
    $$;

CREATE OR REPLACE FUNCTION sla_sweep() RETURNS integer
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
                                               due_at, published_at)
                VALUES (r.tenant_id, r.id, 'warning', r.assignee_id, r.sla_due_at, now());
                PERFORM public.live_emit(r.tenant_id,
                    public.sla_audience(r.tenant_id, r.assignee_id, NULL), 'sla.warning',
                    jsonb_build_object('conversation_id', r.id, 'due_at', r.sla_due_at,
                                       'level', 'warning'));
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
                                       escalated_to, published_at)
        VALUES (r.tenant_id, r.id, 'breach', r.assignee_id, r.sla_due_at, sup, now());
        PERFORM public.live_emit(r.tenant_id,
            public.sla_audience(r.tenant_id, r.assignee_id, sup), 'sla.warning',
            jsonb_build_object('conversation_id', r.id, 'due_at', r.sla_due_at,
                               'level', 'breached'));
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;

REVOKE ALL ON FUNCTION sla_audience(bigint, bigint, bigint) FROM PUBLIC;
