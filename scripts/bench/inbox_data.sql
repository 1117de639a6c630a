-- 100,000 conversations and 2,000,000 messages in tenant :tenant for the inbox benchmark
-- (scripts/bench/inbox), generated in SQL. Run as the superuser on a stack's database:
--   psql "$LARIS_DATABASE_SUPER_URL" -v ON_ERROR_STOP=1 -v tenant=<id> -f inbox_data.sql
-- The tenant keeps its people and gets 8 more agents; conversations are assigned round robin
-- over all of them (80%), 30% carry one of 10 labels, each has 20 messages a minute apart
-- (half inbound), an eighth of all messages say "ongkir". Triggers are skipped
-- (session_replication_role), then the tables are vacuumed as autovacuum would have.
\set conversations 100000
\set per_conversation 20
SET session_replication_role = replica;
INSERT INTO users (tenant_id, email, name, role, password_hash)
SELECT :tenant, format('bench-%s-%s@example.com', :tenant, g), format('Agen %s', g), 'agent', 'x'
  FROM generate_series(1, 8) g;
INSERT INTO labels (tenant_id, name, color)
SELECT :tenant, format('Label %s', g), '#22c55e' FROM generate_series(1, 10) g;
INSERT INTO contacts (tenant_id, wa_id, phone, name, profile_name)
SELECT :tenant, p, p,
       (ARRAY['Budi', 'Sri', 'Andi', 'Wati', 'Joko', 'Rina', 'Agus', 'Dewi', 'Eko', 'Lina'])[1 + g % 10]
           || ' ' || (ARRAY['Santoso', 'Wijaya', 'Lestari', 'Hidayat', 'Saputra', 'Kusuma'])[1 + (g / 10) % 6]
           || ' ' || g,
       'wa ' || g
  FROM generate_series(1, :conversations) g, LATERAL (SELECT (6281200000000 + g * 7)::text AS p) x;
CREATE TEMP TABLE people AS
SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM users WHERE tenant_id = :tenant;
INSERT INTO conversations (tenant_id, contact_id, status, opened_at, last_message_at, assignee_id,
                           assigned_at, snoozed_until)
SELECT :tenant, c.id, s.status, now() - interval '90 days',
       now() - (random() * interval '90 days'),
       CASE WHEN random() < 0.8
            THEN (SELECT p.id FROM people p WHERE p.n = c.id % (SELECT count(*) FROM people)) END,
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
-- Messages in time order, as they would have arrived.
INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, type, body, status,
                      created_at)
SELECT v.tenant_id, v.id, v.contact_id, CASE WHEN g % 2 = 0 THEN 'in' ELSE 'out' END, 'text',
       (ARRAY['halo kak', 'ada stok', 'berapa ongkirnya', 'terima kasih', 'sudah transfer',
              'kirim ke bandung', 'ukuran L ya', 'pesanan nomor'])[1 + (v.id + g) % 8]
           || ' ' || (v.id * 31 + g) % 100000,
       CASE WHEN g % 2 = 0 THEN NULL ELSE 'read' END,
       v.last_message_at - (:per_conversation - g) * interval '1 minute'
  FROM conversations v, generate_series(1, :per_conversation) g
 WHERE v.tenant_id = :tenant
 ORDER BY v.last_message_at - (:per_conversation - g) * interval '1 minute';
RESET session_replication_role;
VACUUM ANALYZE conversations;
VACUUM ANALYZE contacts;
VACUUM ANALYZE messages;
VACUUM ANALYZE conversation_labels;
VACUUM ANALYZE labels;
VACUUM ANALYZE users;
