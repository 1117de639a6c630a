-- Every outbound message type: replies may quote a message (messages.reply_to_wamid, which the
-- worker needs to send the context), and a read receipt is an outbound row of type 'read' whose
-- reply_to_wamid is the inbound message it marks read, at most one per inbound message.

CREATE UNIQUE INDEX messages_read_once ON messages (tenant_id, reply_to_wamid)
    WHERE type = 'read';

-- outbound_begin as in 0004, also returning the wamid the message replies to.
DROP FUNCTION outbound_begin(bigint, bigint);
CREATE FUNCTION outbound_begin(p_tenant bigint, p_message bigint)
    RETURNS TABLE (type text, body text, payload jsonb, to_wa_id text, phone_number_id text,
                   access_token_enc bytea, throughput_mps integer, reply_to_wamid text)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        WITH started AS (
            UPDATE public.messages m SET status = 'sending', status_at = now()
             WHERE m.tenant_id = p_tenant AND m.id = p_message AND m.direction = 'out'
               AND m.status = 'queued'
            RETURNING m.tenant_id, m.type, m.body, m.payload, m.contact_id, m.wa_number_id,
                      m.reply_to_wamid
        )
        SELECT s.type, s.body, s.payload, c.wa_id, n.phone_number_id, n.access_token_enc,
               n.throughput_mps, s.reply_to_wamid
          FROM started s
          JOIN public.contacts c ON c.tenant_id = s.tenant_id AND c.id = s.contact_id
          JOIN public.wa_numbers n ON n.tenant_id = s.tenant_id AND n.id = s.wa_number_id
    $$;
REVOKE ALL ON FUNCTION outbound_begin(bigint, bigint) FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_worker') THEN
        GRANT EXECUTE ON FUNCTION outbound_begin(bigint, bigint) TO laris_worker;
    END IF;
END $$;
