-- WhatsApp numbers as the owner manages them (the wa-numbers API): a label, a change time, and
-- removal. Removing a number sets status 'disabled', forgets its secrets and takes it out of the
-- platform map wa_number_routes, so its phone_number_id is free for any tenant to connect; the
-- row stays (conversations and messages reference it). Connecting a removed number again in
-- the same tenant reactivates that row (UNIQUE (tenant_id, phone_number_id) is unchanged).

ALTER TABLE wa_numbers
    ADD COLUMN name text CHECK (name <> '' AND length(name) <= 100),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- The map holds the numbers that are not disabled: a disabled number routes nowhere.
CREATE OR REPLACE FUNCTION wa_numbers_sync_route() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'disabled' THEN
            INSERT INTO public.wa_number_routes (phone_number_id, waba_id, tenant_id, wa_number_id)
                VALUES (NEW.phone_number_id, NEW.waba_id, NEW.tenant_id, NEW.id);
        END IF;
    ELSIF NEW.status = 'disabled' THEN
        DELETE FROM public.wa_number_routes
         WHERE tenant_id = OLD.tenant_id AND wa_number_id = OLD.id;
    ELSIF OLD.status = 'disabled' THEN
        INSERT INTO public.wa_number_routes (phone_number_id, waba_id, tenant_id, wa_number_id)
            VALUES (NEW.phone_number_id, NEW.waba_id, NEW.tenant_id, NEW.id);
    ELSIF NEW.phone_number_id <> OLD.phone_number_id OR NEW.waba_id <> OLD.waba_id THEN
        UPDATE public.wa_number_routes
           SET phone_number_id = NEW.phone_number_id, waba_id = NEW.waba_id
         WHERE tenant_id = OLD.tenant_id AND wa_number_id = OLD.id;
    END IF;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION wa_numbers_sync_route() FROM PUBLIC;

DROP TRIGGER wa_numbers_route ON wa_numbers;
CREATE TRIGGER wa_numbers_route AFTER INSERT OR UPDATE OF phone_number_id, waba_id, status
    ON wa_numbers FOR EACH ROW EXECUTE FUNCTION wa_numbers_sync_route();

-- Numbers disabled before this migration leave the map too.
DELETE FROM wa_number_routes r
 USING wa_numbers n
 WHERE n.tenant_id = r.tenant_id AND n.id = r.wa_number_id AND n.status = 'disabled';
