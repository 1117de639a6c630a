-- 0006 (worker reliability) and 0010 (every outbound type) each redefined how a send begins:
-- 0006 refuses a number flagged by a 190 and added outbound_begin_many for the batching worker;
-- 0010 returns the wamid a reply quotes (or a read receipt marks read). 0010 ran last and
-- dropped 0006's check from outbound_begin, and outbound_begin_many never returned the wamid.
-- Both functions now do both.

-- outbound_begin calls outbound_begin_many, so it goes first and comes back last.
DROP FUNCTION outbound_begin(bigint, bigint);
DROP FUNCTION outbound_begin_many(bigint[], bigint[]);
CREATE FUNCTION outbound_begin_many(p_tenants bigint[], p_messages bigint[])
    RETURNS TABLE (tenant_id bigint, message_id bigint, type text, body text, payload jsonb,
                   to_wa_id text, phone_number_id text, access_token_enc bytea,
                   throughput_mps integer, reply_to_wamid text)
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
            RETURNING m.tenant_id, m.id, m.type, m.body, m.payload, m.contact_id, m.wa_number_id,
                      m.reply_to_wamid
        )
        SELECT s.tenant_id, s.id, s.type, s.body, s.payload, c.wa_id, n.phone_number_id,
               n.access_token_enc, n.throughput_mps, s.reply_to_wamid
          FROM started s
          JOIN public.contacts c ON c.tenant_id = s.tenant_id AND c.id = s.contact_id
          JOIN public.wa_numbers n ON n.tenant_id = s.tenant_id AND n.id = s.wa_number_id
    $$;

CREATE FUNCTION outbound_begin(p_tenant bigint, p_message bigint)
    RETURNS TABLE (type text, body text, payload jsonb, to_wa_id text, phone_number_id text,
                   access_token_enc bytea, throughput_mps integer, reply_to_wamid text)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT b.type, b.body, b.payload, b.to_wa_id, b.phone_number_id, b.access_token_enc,
               b.throughput_mps, b.reply_to_wamid
          FROM public.outbound_begin_many(ARRAY[p_tenant], ARRAY[p_message]) b
    $$;

REVOKE ALL ON FUNCTION outbound_begin(bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION outbound_begin_many(bigint[], bigint[]) FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_worker') THEN
        GRANT EXECUTE ON FUNCTION outbound_begin(bigint, bigint) TO laris_worker;
        GRANT EXECUTE ON FUNCTION outbound_begin_many(bigint[], bigint[]) TO laris_worker;
    END IF;
END $$;
