-- Statements of the contacts API (crm/contacts.c), as laris_app under the tenant. Deleted
-- contacts (deleted_at set) are invisible here.

-- name: contacts_list
-- One page of contacts, newest first, before id $1 (0: from the newest). Filters (NULL: any):
-- lead status $2 ('none': no lead status); label $3; ILIKE pattern $4 on the name or profile
-- name, or phone digits $5 / $6 anywhere in the phone (the caller escapes and normalizes).
-- $7 rows.
SELECT c.id, c.name, c.profile_name, c.phone, c.wa_id, c.lead_status, c.city, c.birthday,
       c.note, c.marketing_opt_out_at, c.last_inbound_at, c.created_at, c.updated_at,
       (SELECT coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color)
                                 ORDER BY lower(l.name)), '[]')
          FROM contact_labels cl
          JOIN labels l ON l.tenant_id = cl.tenant_id AND l.id = cl.label_id
         WHERE cl.tenant_id = c.tenant_id AND cl.contact_id = c.id) AS labels
  FROM contacts c
 WHERE c.deleted_at IS NULL
   AND ($1::bigint = 0 OR c.id < $1)
   AND ($2::text IS NULL OR ($2 = 'none' AND c.lead_status IS NULL) OR c.lead_status = $2)
   AND ($3::bigint IS NULL OR EXISTS (
           SELECT 1 FROM contact_labels cl
            WHERE cl.tenant_id = c.tenant_id AND cl.contact_id = c.id AND cl.label_id = $3))
   AND ($4::text IS NULL OR c.name ILIKE $4 OR c.profile_name ILIKE $4
        OR ($5::text IS NOT NULL AND (c.phone LIKE '%' || $5 || '%'
                                      OR c.phone LIKE '%' || $6::text || '%')))
 ORDER BY c.id DESC
 LIMIT $7;

-- name: contacts_get
-- Contact $1 with its labels and order summary (cancelled orders do not count).
SELECT c.id, c.name, c.profile_name, c.phone, c.wa_id, c.lead_status, c.city, c.birthday,
       c.note, c.marketing_opt_out_at, c.last_inbound_at, c.created_at, c.updated_at,
       (SELECT coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color)
                                 ORDER BY lower(l.name)), '[]')
          FROM contact_labels cl
          JOIN labels l ON l.tenant_id = cl.tenant_id AND l.id = cl.label_id
         WHERE cl.tenant_id = c.tenant_id AND cl.contact_id = c.id) AS labels,
       s.order_count, s.paid_total, s.unpaid_total, s.last_order_at
  FROM contacts c
 CROSS JOIN LATERAL (
        SELECT count(*) AS order_count,
               coalesce(sum(o.total) FILTER (WHERE o.payment_status = 'paid'), 0) AS paid_total,
               coalesce(sum(o.total) FILTER (WHERE o.payment_status = 'unpaid'), 0)
                   AS unpaid_total,
               max(o.created_at) AS last_order_at
          FROM orders o
         WHERE o.tenant_id = c.tenant_id AND o.contact_id = c.id
           AND o.payment_status <> 'cancelled') s
 WHERE c.id = $1 AND c.deleted_at IS NULL;

-- name: contacts_insert
-- A contact for phone $1 (E.164 digits, also its wa_id) with name $2, lead status $3, city $4,
-- birthday $5, note $6. A deleted contact with this number comes back with these fields; a live
-- one is a conflict (no row returned).
INSERT INTO contacts AS c (tenant_id, wa_id, phone, name, lead_status, city, birthday, note)
VALUES (laris_current_tenant(), $1, $1, $2, $3, $4, $5::date, $6)
ON CONFLICT (tenant_id, wa_id) DO UPDATE
   SET name = EXCLUDED.name, lead_status = EXCLUDED.lead_status, city = EXCLUDED.city,
       birthday = EXCLUDED.birthday, note = EXCLUDED.note, deleted_at = NULL,
       created_at = now(), updated_at = now()
 WHERE c.deleted_at IS NOT NULL
RETURNING c.id;

-- name: contacts_lock
-- Contact $1, locked for a change.
SELECT id, marketing_opt_out_at FROM contacts WHERE id = $1 AND deleted_at IS NULL FOR UPDATE;

-- name: contacts_update
-- Sets the fields whose flag is true: name ($2, $3), lead status ($4, $5), city ($6, $7),
-- birthday ($8, $9), note ($10, $11); marketing opt-out now when $12.
UPDATE contacts
   SET name = CASE WHEN $2 THEN $3 ELSE name END,
       lead_status = CASE WHEN $4 THEN $5 ELSE lead_status END,
       city = CASE WHEN $6 THEN $7 ELSE city END,
       birthday = CASE WHEN $8 THEN $9::date ELSE birthday END,
       note = CASE WHEN $10 THEN $11 ELSE note END,
       marketing_opt_out_at = CASE WHEN $12 THEN coalesce(marketing_opt_out_at, now())
                                   ELSE marketing_opt_out_at END,
       updated_at = now()
 WHERE id = $1 AND deleted_at IS NULL;

-- name: contacts_has_orders
SELECT EXISTS (SELECT 1 FROM orders WHERE contact_id = $1) AS has_orders;

-- name: contacts_delete
-- Soft-deletes contact $1: the shop's fields are cleared; conversations and messages stay.
UPDATE contacts
   SET deleted_at = now(), name = NULL, lead_status = NULL, city = NULL, birthday = NULL,
       note = NULL, updated_at = now()
 WHERE id = $1 AND deleted_at IS NULL
RETURNING id;

-- name: contacts_labels_drop
DELETE FROM contact_labels WHERE contact_id = $1;
