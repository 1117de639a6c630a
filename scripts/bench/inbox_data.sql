-- A tenant with 100,000 conversations and 2,000,000 messages for the inbox benchmark and its
-- EXPLAINs (scripts/bench/inbox). Run as the superuser on a stack's database:
--   psql "$LARIS_DATABASE_SUPER_URL" -v ON_ERROR_STOP=1 -f scripts/bench/inbox_data.sql
-- Prints the tenant id and an agent id. Triggers are skipped (session_replication_role).
\set conversations 100000
\set per_conversation 20
SET session_replication_role = replica;
INSERT INTO tenants (plan_id, name)
VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'Bench Inbox') RETURNING id AS tenant \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
SELECT :tenant, format('bench-%s-%s@example.com', :tenant, g), format('Agen %s', g),
       CASE WHEN g = 1 THEN 'owner' ELSE 'agent' END, 'x'
  FROM generate_series(1, 10) g;
INSERT INTO labels (tenant_id, name, color)
SELECT :tenant, format('Label %s', g), '#22c55e' FROM generate_series(1, 10) g;
INSERT INTO contacts (tenant_id, wa_id, phone, name, profile_name)
SELECT :tenant, p, p,
       (ARRAY['Budi', 'Sri', 'Andi', 'Wati', 'Joko', 'Rina', 'Agus', 'Dewi', 'Eko', 'Lina'])[1 + g % 10]
           || ' ' || (ARRAY['Santoso', 'Wijaya', 'Lestari', 'Hidayat', 'Saputra', 'Kusuma'])[1 + (g / 10) % 6]
           || ' ' || g,
       'wa ' || g
  FROM generate_series(1, :conversations) g, LATERAL (SELECT (6281200000000 + g * 7)::text AS p) x;
INSERT INTO conversations (tenant_id, contact_id, status, opened_at, last_message_at, assignee_id,
                           assigned_at, snoozed_until)
SELECT :tenant, c.id, s.status, now() - interval '90 days',
       now() - (random() * interval '90 days'),
       CASE WHEN random() < 0.8 THEN (SELECT min(id) FROM users WHERE tenant_id = :tenant) + (c.id % 10) END,
       now(), CASE WHEN s.status = 'snoozed' THEN now() + interval '1 day' END
  FROM contacts c,
       LATERAL (SELECT CASE WHEN r < 0.10 THEN 'open' WHEN r < 0.15 THEN 'pending'
                            WHEN r < 0.20 THEN 'snoozed' ELSE 'resolved' END AS status
                  FROM (SELECT random() + c.id * 0 AS r) q) s
 WHERE c.tenant_id = :tenant;
UPDATE conversations SET assigned_at = NULL WHERE tenant_id = :tenant AND assignee_id IS NULL;
INSERT INTO conversation_labels (tenant_id, conversation_id, label_id)
SELECT :tenant, v.id, (SELECT min(id) FROM labels WHERE tenant_id = :tenant) + v.id % 10
  FROM conversations v WHERE v.tenant_id = :tenant AND random() < 0.3;
INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, type, body, status,
                      created_at)
SELECT v.tenant_id, v.id, v.contact_id, CASE WHEN g % 2 = 0 THEN 'in' ELSE 'out' END, 'text',
       (ARRAY['halo kak', 'ada stok', 'berapa ongkirnya', 'terima kasih', 'sudah transfer',
              'kirim ke bandung', 'ukuran L ya', 'pesanan nomor'])[1 + (v.id + g) % 8]
           || ' ' || (v.id * 31 + g) % 100000,
       CASE WHEN g % 2 = 0 THEN NULL ELSE 'read' END,
       v.last_message_at - (:per_conversation - g) * interval '1 minute'
  FROM conversations v, generate_series(1, :per_conversation) g
 WHERE v.tenant_id = :tenant;
RESET session_replication_role;
ANALYZE conversations; ANALYZE contacts; ANALYZE messages; ANALYZE conversation_labels;
ANALYZE labels; ANALYZE users;
SELECT :tenant AS tenant, (SELECT min(id) + 1 FROM users WHERE tenant_id = :tenant) AS agent;
