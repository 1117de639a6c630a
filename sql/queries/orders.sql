-- Statements of the orders API (crm/orders.c), as laris_app under the tenant. Money is integer
-- rupiah; totals are computed by the caller from the items it checked (and re-checked at commit
-- by a constraint trigger, sql/0018_contacts_orders.sql).

-- name: orders_list
-- One page of orders, newest first, before id $1 (0: from the newest); contact $2 and payment
-- status $3 (NULL: any); $4 rows.
SELECT o.id, o.contact_id, o.conversation_id, o.created_by, o.total, o.payment_status,
       o.paid_at, o.cancelled_at, o.note, o.created_at, o.updated_at,
       coalesce(c.name, c.profile_name) AS contact_name,
       (SELECT json_agg(json_build_object('name', i.name, 'qty', i.qty,
                                          'unit_price', i.unit_price) ORDER BY i.position)
          FROM order_items i WHERE i.tenant_id = o.tenant_id AND i.order_id = o.id) AS items
  FROM orders o
  JOIN contacts c ON c.tenant_id = o.tenant_id AND c.id = o.contact_id
 WHERE ($1::bigint = 0 OR o.id < $1)
   AND ($2::bigint IS NULL OR o.contact_id = $2)
   AND ($3::text IS NULL OR o.payment_status = $3)
 ORDER BY o.id DESC
 LIMIT $4;

-- name: orders_get
SELECT o.id, o.contact_id, o.conversation_id, o.created_by, o.total, o.payment_status,
       o.paid_at, o.cancelled_at, o.note, o.created_at, o.updated_at,
       coalesce(c.name, c.profile_name) AS contact_name,
       (SELECT json_agg(json_build_object('name', i.name, 'qty', i.qty,
                                          'unit_price', i.unit_price) ORDER BY i.position)
          FROM order_items i WHERE i.tenant_id = o.tenant_id AND i.order_id = o.id) AS items
  FROM orders o
  JOIN contacts c ON c.tenant_id = o.tenant_id AND c.id = o.contact_id
 WHERE o.id = $1;

-- name: orders_conversation_contact
-- The contact of conversation $1.
SELECT contact_id FROM conversations WHERE id = $1;

-- name: orders_contact_live
-- Contact $1 when it exists and is not deleted.
SELECT id FROM contacts WHERE id = $1 AND deleted_at IS NULL;

-- name: orders_contact_restore
-- An order recorded in a deleted contact's chat brings the contact back.
UPDATE contacts SET deleted_at = NULL, updated_at = now() WHERE id = $1 AND deleted_at IS NOT NULL;

-- name: orders_insert
-- An order of contact $1 (conversation $2, by person $3; either may be NULL), total $4,
-- payment status $5 (unpaid or paid), note $6, Idempotency-Key $7 (may be NULL), items $8 (a
-- JSON array of {name, qty, unit_price}, checked by the caller). No row when the key was used.
WITH o AS (
    INSERT INTO orders (tenant_id, contact_id, conversation_id, created_by, total,
                        payment_status, paid_at, note, idempotency_key)
    VALUES (laris_current_tenant(), $1, $2::bigint, $3::bigint, $4, $5,
            CASE WHEN $5 = 'paid' THEN now() END, $6, $7)
    ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
    RETURNING tenant_id, id),
items AS (
    INSERT INTO order_items (tenant_id, order_id, position, name, qty, unit_price)
    SELECT o.tenant_id, o.id, e.ord, e.v->>'name', (e.v->>'qty')::integer,
           (e.v->>'unit_price')::bigint
      FROM o, jsonb_array_elements($8::jsonb) WITH ORDINALITY AS e(v, ord))
SELECT id FROM o;

-- name: orders_by_key
-- The order Idempotency-Key $1 made.
SELECT id FROM orders WHERE idempotency_key = $1;

-- name: orders_lock
SELECT id, payment_status FROM orders WHERE id = $1 FOR UPDATE;

-- name: orders_update
-- Order $1: payment status $2 (NULL: unchanged; paid_at / cancelled_at follow), note $4 when
-- $3, total $5 (NULL: unchanged).
UPDATE orders
   SET payment_status = coalesce($2::text, payment_status),
       paid_at = CASE WHEN $2 = 'paid' THEN now() ELSE paid_at END,
       cancelled_at = CASE WHEN $2 = 'cancelled' THEN now() ELSE cancelled_at END,
       note = CASE WHEN $3 THEN $4 ELSE note END,
       total = coalesce($5::bigint, total),
       updated_at = now()
 WHERE id = $1;

-- name: orders_items_clear
DELETE FROM order_items WHERE order_id = $1;

-- name: orders_items_insert
-- Items $2 (as in orders_insert) of order $1.
INSERT INTO order_items (tenant_id, order_id, position, name, qty, unit_price)
SELECT laris_current_tenant(), $1, e.ord, e.v->>'name', (e.v->>'qty')::integer,
       (e.v->>'unit_price')::bigint
  FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(v, ord);
