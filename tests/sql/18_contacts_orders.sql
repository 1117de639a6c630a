-- Contacts and orders (0018): orders and order_items are tenant tables under RLS (another tenant
-- and no tenant see nothing, and cannot write into a tenant); an order's total must be the sum
-- of its items; a lead status is hot, warm or cold; a deleted contact who writes again is a
-- contact again; laris_app cannot delete orders (they are sales records).
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(21);

SELECT is((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE relname = t), true,
          t || ': RLS enabled and forced')
  FROM unnest(ARRAY['orders', 'order_items']) t;

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 18 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 18 B')
RETURNING id AS tb \gset
INSERT INTO contacts (tenant_id, wa_id, phone, name, lead_status, city, birthday, note)
VALUES (:ta, '6281200001818', '6281200001818', 'Pembeli Delapan Belas', 'hot', 'Bogor',
        '1990-08-17', 'catatan rahasia')
RETURNING id AS ca \gset
INSERT INTO conversations (tenant_id, contact_id) VALUES (:ta, :ca) RETURNING id AS va \gset
WITH o AS (INSERT INTO orders (tenant_id, contact_id, conversation_id, total)
           VALUES (:ta, :ca, :va, 70000) RETURNING tenant_id, id)
INSERT INTO order_items (tenant_id, order_id, position, name, qty, unit_price)
SELECT o.tenant_id, o.id, 1, 'Kopi', 2, 35000 FROM o;
SELECT id AS oa FROM orders WHERE tenant_id = :ta \gset

SELECT throws_ok($$ UPDATE contacts SET lead_status = 'panas' WHERE id = $$ || :ca,
    '23514', NULL, 'a lead status is hot, warm or cold');
SELECT throws_ok($$ UPDATE contacts SET birthday = '1800-01-01' WHERE id = $$ || :ca,
    '23514', NULL, 'a birthday is from 1900 to 2100');
SELECT throws_ok($$ INSERT INTO orders (tenant_id, contact_id, total, payment_status)
                    VALUES ($$ || :ta || ', ' || :ca || $$, 0, 'lunas') $$,
    '23514', NULL, 'a payment status is unpaid, paid or cancelled');
SELECT throws_ok($$ INSERT INTO orders (tenant_id, contact_id, total, payment_status)
                    VALUES ($$ || :ta || ', ' || :ca || $$, 0, 'paid') $$,
    '23514', NULL, 'a paid order has its paid_at');

-- The total is the sum of the items (checked at commit; here at once).
SET CONSTRAINTS orders_check_total, order_items_check_total IMMEDIATE;
SELECT throws_ok($$ WITH o AS (INSERT INTO orders (tenant_id, contact_id, total)
                               VALUES ($$ || :ta || ', ' || :ca || $$, 100) RETURNING id)
                    INSERT INTO order_items (tenant_id, order_id, position, name, qty, unit_price)
                    SELECT $$ || :ta || $$, o.id, 1, 'x', 1, 50 FROM o $$,
    '23514', NULL, 'a total that is not the sum of the items is refused');
SELECT lives_ok($$ WITH o AS (INSERT INTO orders (tenant_id, contact_id, total)
                              VALUES ($$ || :ta || ', ' || :ca || $$, 100) RETURNING id)
                   INSERT INTO order_items (tenant_id, order_id, position, name, qty, unit_price)
                   SELECT $$ || :ta || $$, o.id, 1, 'x', 2, 50 FROM o $$,
    'a total that is the sum is taken');
SELECT throws_ok($$ UPDATE order_items SET qty = 3 WHERE order_id = $$ || :oa,
    '23514', NULL, 'changing an item without the total is refused');
SET CONSTRAINTS ALL DEFERRED;

-- A deleted contact who writes again comes back.
UPDATE contacts SET deleted_at = now() WHERE id = :ca;
UPDATE contacts SET profile_name = 'baru' WHERE id = :ca;
SELECT isnt((SELECT deleted_at FROM contacts WHERE id = :ca), NULL,
    'another change keeps a contact deleted');
UPDATE contacts SET last_inbound_at = now() WHERE id = :ca;
SELECT is((SELECT deleted_at FROM contacts WHERE id = :ca), NULL,
    'a new inbound message brings a deleted contact back');

-- Tenant B sees none of A's rows and cannot write into A.
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM orders), 0, 'RLS: B sees no order of A');
SELECT is((SELECT count(*)::int FROM order_items), 0, 'RLS: B sees no order item of A');
SELECT is((SELECT count(*)::int FROM contacts WHERE note = 'catatan rahasia'), 0,
    'RLS: B sees no contact of A');
SELECT throws_ok($$ INSERT INTO orders (tenant_id, contact_id, total)
                    VALUES ($$ || :ta || ', ' || :ca || $$, 0) $$,
    '42501', NULL, 'B cannot record an order in A');
WITH u AS (UPDATE orders SET note = 'x' RETURNING 1)
SELECT is((SELECT count(*)::int FROM u), 0, 'B changes no order of A');

-- No tenant set: nothing at all.
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM orders), 0, 'no tenant: no orders');
SELECT is((SELECT count(*)::int FROM order_items), 0, 'no tenant: no order items');

-- Tenant A sees its own, and cannot delete an order.
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT is((SELECT total FROM orders WHERE id = :oa), 70000::bigint, 'A sees its order');
SELECT is((SELECT count(*)::int FROM order_items WHERE order_id = :oa), 1, 'A sees its items');
SELECT throws_ok($$ DELETE FROM orders WHERE id = $$ || :oa,
    '42501', NULL, 'laris_app cannot delete an order');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
