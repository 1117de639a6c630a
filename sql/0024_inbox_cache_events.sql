-- What the inbox page cache needs from live events (src/crm/inbox_cache.c): laris-events bumps
-- a tenant's inbox version in Redis before it publishes that tenant's events, so live_take()
-- now also says whose each event is; and a chat's status or snooze changed by a background job
-- (the snooze wake-up) now publishes an event, like every other change the inbox list shows.

-- (was sql/0015_worker_functions_plpgsql.sql; tenant_id added in front of the columns)
DROP FUNCTION live_take(integer);
CREATE FUNCTION live_take(p_limit integer)
    RETURNS TABLE (tenant_id bigint, channel text, seq bigint, payload text)
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
    SELECT x.tenant_id, x.channel, b.seq - x.c + x.n,
           (x.payload || jsonb_build_object('id', x.id, 'seq', b.seq - x.c + x.n))::text
      FROM numbered x JOIN bumped b ON b.channel = x.channel
     ORDER BY x.id;
END $$;
REVOKE ALL ON FUNCTION live_take(integer) FROM PUBLIC;
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_worker') THEN
        GRANT EXECUTE ON FUNCTION live_take(integer) TO laris_worker;
    END IF;
END $$;

-- A chat's status or snooze changed (resolved, reopened by the customer, snoozed, woken up):
-- the tenant's inbox shows it at once.
CREATE FUNCTION live_conversation_status() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    PERFORM public.live_emit(NEW.tenant_id, NULL, 'conversation.status',
        jsonb_build_object('conversation_id', NEW.id, 'status', NEW.status,
                           'snoozed_until', NEW.snoozed_until));
    RETURN NULL;
END $$;
CREATE TRIGGER live_conversation_status AFTER UPDATE OF status, snoozed_until ON conversations
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.snoozed_until IS DISTINCT FROM NEW.snoozed_until)
    EXECUTE FUNCTION live_conversation_status();
REVOKE ALL ON FUNCTION live_conversation_status() FROM PUBLIC;
