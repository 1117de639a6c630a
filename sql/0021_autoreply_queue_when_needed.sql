-- Customer messages go to the auto-replier only when it has something to do with them.
--
-- 0012 queued every customer message (autoreply_queue) and laris-worker's jobs process read each
-- back with its chat, contact, tenant and settings. On the webhook path that was the largest
-- cost after storing the message itself: a queue row with its foreign-key check, then a claim
-- joining five tables per message. Most messages need nothing: the auto-replier only sends a
-- greeting, an away message or a keyword reply when the tenant turned one on, and only sets the
-- chat's first-response due time while it has none and nobody answered yet.
--
-- So the trigger now queues a message when the tenant has a greeting, an away message or an
-- active keyword rule, or when the chat still waits for its due time. What the worker decides
-- for a queued message is unchanged (src/worker/autoreply.c); a message that was not queued is
-- one the worker would have read and dropped. Turning a greeting on applies to messages that
-- arrive from then on, as before (the decision was always taken when the worker ran). The
-- chat is read once: first_inbound_at is written only by the chat's first customer message.

CREATE OR REPLACE FUNCTION service_message_in() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    v_first_inbound_at timestamptz;
    v_waiting_for_due boolean;
BEGIN
    SELECT v.first_inbound_at, v.sla_due_at IS NULL AND v.first_response_at IS NULL
      INTO v_first_inbound_at, v_waiting_for_due
      FROM public.conversations v
     WHERE v.tenant_id = NEW.tenant_id AND v.id = NEW.conversation_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF v_first_inbound_at IS NULL THEN
        UPDATE public.conversations SET first_inbound_at = NEW.created_at
         WHERE tenant_id = NEW.tenant_id AND id = NEW.conversation_id
           AND first_inbound_at IS NULL;
    END IF;
    IF v_waiting_for_due
       OR EXISTS (SELECT 1 FROM public.tenant_settings s
                   WHERE s.tenant_id = NEW.tenant_id AND (s.greeting_enabled OR s.away_enabled))
       OR EXISTS (SELECT 1 FROM public.auto_replies r
                   WHERE r.tenant_id = NEW.tenant_id AND r.active) THEN
        INSERT INTO public.autoreply_queue (tenant_id, message_id)
        VALUES (NEW.tenant_id, NEW.id);
    END IF;
    RETURN NULL;
END $$;
