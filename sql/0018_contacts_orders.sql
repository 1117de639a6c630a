-- Customer records and orders: what a shop keeps on a contact (display name, lead status, city,
-- birthday, note), soft deletion of a contact, and orders recorded from a chat with their items.
--
-- contacts.name is the shop's display name; profile_name stays what WhatsApp reports. A deleted
-- contact (deleted_at set) keeps its row, because its conversations and messages point at it:
-- the shop's fields and labels are cleared, the contacts API no longer shows it, and it comes
-- back (empty) when the customer writes again or someone adds the same number. A contact with
-- orders cannot be deleted (the API answers 409): the orders are the shop's sales records.
--
-- Money is integer rupiah. An order's total is computed by laris-api from its items and checked
-- here against them by a constraint trigger at commit (a total that does not add up is refused).

ALTER TABLE contacts
    ADD COLUMN lead_status text CHECK (lead_status IN ('hot', 'warm', 'cold')),
    ADD COLUMN city        text CHECK (length(city) BETWEEN 1 AND 100),
    ADD COLUMN birthday    date CHECK (birthday BETWEEN '1900-01-01' AND '2100-12-31'),
    ADD COLUMN note        text CHECK (length(note) BETWEEN 1 AND 2000),
    ADD COLUMN deleted_at  timestamptz;

-- The contacts list: newest first per tenant, and by lead status.
CREATE INDEX contacts_lead_status_idx ON contacts (tenant_id, lead_status, id DESC)
    WHERE deleted_at IS NULL;

-- A deleted contact who writes again is a contact again (the webhook path moves
-- last_inbound_at; it knows nothing of deletion).
CREATE FUNCTION contacts_undelete_on_inbound() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    IF OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NOT NULL
       AND NEW.last_inbound_at IS DISTINCT FROM OLD.last_inbound_at THEN
        NEW.deleted_at := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER contacts_undelete_on_inbound BEFORE UPDATE OF last_inbound_at ON contacts
    FOR EACH ROW EXECUTE FUNCTION contacts_undelete_on_inbound();

CREATE TABLE orders (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    contact_id       bigint NOT NULL,
    conversation_id  bigint,
    created_by       bigint, -- the person; NULL when an API token recorded it
    total            bigint NOT NULL CHECK (total BETWEEN 0 AND 1000000000000),
    payment_status   text NOT NULL DEFAULT 'unpaid'
                     CHECK (payment_status IN ('unpaid', 'paid', 'cancelled')),
    paid_at          timestamptz,
    cancelled_at     timestamptz,
    note             text CHECK (length(note) BETWEEN 1 AND 1000),
    idempotency_key  text CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
    CHECK ((payment_status = 'paid') = (paid_at IS NOT NULL) OR payment_status = 'cancelled'),
    CHECK ((payment_status = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX orders_contact_idx ON orders (tenant_id, contact_id, id DESC);
CREATE INDEX orders_status_idx ON orders (tenant_id, payment_status, id DESC);

CREATE TABLE order_items (
    tenant_id   bigint NOT NULL REFERENCES tenants (id),
    order_id    bigint NOT NULL,
    position    integer NOT NULL CHECK (position BETWEEN 1 AND 100),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    qty         integer NOT NULL CHECK (qty BETWEEN 1 AND 100000),
    unit_price  bigint NOT NULL CHECK (unit_price BETWEEN 0 AND 1000000000),
    PRIMARY KEY (tenant_id, order_id, position),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
);

-- At commit, an order's total is the sum of its items (a bug in a caller cannot store a total
-- that does not add up).
CREATE FUNCTION orders_check_total() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    v_order bigint := (to_jsonb(NEW) ->> CASE WHEN TG_TABLE_NAME = 'orders' THEN 'id'
                                              ELSE 'order_id' END)::bigint;
    v_total bigint;
    v_sum   numeric;
BEGIN
    SELECT o.total, (SELECT coalesce(sum(i.qty::numeric * i.unit_price), 0)
                       FROM public.order_items i
                      WHERE i.tenant_id = o.tenant_id AND i.order_id = o.id)
      INTO v_total, v_sum
      FROM public.orders o WHERE o.tenant_id = NEW.tenant_id AND o.id = v_order;
    IF FOUND AND v_total <> v_sum THEN
        RAISE EXCEPTION 'order % total % is not the sum of its items (%)', v_order, v_total, v_sum
            USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER orders_check_total AFTER INSERT OR UPDATE ON orders
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION orders_check_total();
CREATE CONSTRAINT TRIGGER order_items_check_total AFTER INSERT OR UPDATE ON order_items
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION orders_check_total();

ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orders
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE order_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE order_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON order_items
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

GRANT SELECT, INSERT, UPDATE ON orders TO laris_app;
GRANT SELECT, INSERT, DELETE ON order_items TO laris_app;
