-- A tenant that brings its own Meta app receives its template review events on its number's
-- route (/webhooks/whatsapp/{id}) too. Those changes carry only a WABA id, so the route needs
-- the number's WABA to accept them (and then applies them to that number's tenant alone, never
-- to other tenants with a number in the same WABA: the event is signed with this tenant's app
-- secret only). wa_number_webhook() now also answers the number's id and WABA id.
DROP FUNCTION wa_number_webhook(bigint);
CREATE FUNCTION wa_number_webhook(p_wa_number_id bigint)
    RETURNS TABLE (tenant_id bigint, wa_number_id bigint, phone_number_id text, waba_id text,
                   app_secret_enc bytea, verify_token text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$ SELECT n.tenant_id, n.id, n.phone_number_id, n.waba_id, n.app_secret_enc,
                 n.verify_token
            FROM public.wa_numbers n
           WHERE n.id = p_wa_number_id AND n.status = 'active' $$;
REVOKE ALL ON FUNCTION wa_number_webhook(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wa_number_webhook(bigint) TO laris_app;
