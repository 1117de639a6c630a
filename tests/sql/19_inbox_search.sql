-- Inbox list and search (0019): inbox_page() runs under the caller's RLS with a plan made once,
-- pages newest first by keyset cursor and counts unread messages per person;
-- inbox_search_contacts() and inbox_search_messages() (SECURITY DEFINER) find the current
-- tenant's conversations only and respect their caps; the indexes changed as described.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(29);

SELECT hasnt_function('public', 'inbox_search_matches', ARRAY['text', 'text', 'text'],
    'inbox_search_matches (0008) is replaced');
SELECT has_index('public', 'conversations', 'conversations_contact_idx',
    ARRAY['tenant_id', 'contact_id'], 'conversations are found by contact');
SELECT hasnt_index('public', 'conversations', 'conversations_inbox_idx',
    'no index on last_message_at is kept up on ingest');
SELECT hasnt_index('public', 'conversations', 'conversations_assignee_idx',
    'no assignee index on last_message_at is kept up on ingest');
SELECT is((SELECT prosecdef FROM pg_proc WHERE proname = 'inbox_page'), false,
    'inbox_page runs as the caller (RLS applies)');
SELECT ok((SELECT 'plan_cache_mode=force_generic_plan' = ANY (proconfig) FROM pg_proc
            WHERE proname = 'inbox_page'), 'inbox_page keeps one plan per connection');
SELECT is(has_function_privilege('public',
    'inbox_page(bigint,text,text,bigint,bigint,bigint,bigint,integer)', 'EXECUTE'), false,
    'PUBLIC cannot run inbox_page');
SELECT is(has_function_privilege('public', 'inbox_search_messages(text,integer)', 'EXECUTE'),
    false, 'PUBLIC cannot run inbox_search_messages');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 19 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 19 B')
RETURNING id AS tb \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:ta, 'pgtap19a@example.com', 'Agen A', 'agent', 'x') RETURNING id AS ua \gset
INSERT INTO contacts (tenant_id, wa_id, phone, name)
VALUES (:ta, '6281200001919', '6281200001919', 'Rahasia Satu') RETURNING id AS c1 \gset
INSERT INTO contacts (tenant_id, wa_id, phone, name)
VALUES (:ta, '6281200002929', '6281200002929', 'Dua') RETURNING id AS c2 \gset
INSERT INTO conversations (tenant_id, contact_id, status, opened_at, last_message_at, assignee_id,
                           assigned_at)
VALUES (:ta, :c1, 'open', now() - interval '2 hours', now() - interval '1 hour', :ua, now())
RETURNING id AS v1 \gset
INSERT INTO conversations (tenant_id, contact_id, status, opened_at, last_message_at)
VALUES (:ta, :c2, 'open', now() - interval '2 hours', now() - interval '1 minute')
RETURNING id AS v2 \gset
INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, type, body)
VALUES (:ta, :v1, :c1, 'in', 'text', 'ongkir ke bandung'),
       (:ta, :v2, :c2, 'in', 'text', 'ongkir ke medan'),
       (:ta, :v2, :c2, 'in', 'text', 'kode rahasia');
INSERT INTO conversation_reads (tenant_id, conversation_id, user_id, last_read_message_id)
VALUES (:ta, :v1, :ua, (SELECT max(id) FROM messages WHERE tenant_id = :ta AND conversation_id = :v1));

-- Tenant B sees none of A's rows.
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM inbox_page(:ua, NULL, 'any', NULL, NULL, NULL, NULL, 10)),
    0, 'B: inbox_page shows no conversation of A');
SELECT is((SELECT count(*)::int FROM inbox_search_contacts('%rahasia%', '1919', '1919', 10)), 0,
    'B: no contact of A matches');
SELECT is((SELECT count(*)::int FROM inbox_search_messages('%ongkir%', 10)), 0,
    'B: no message of A matches');

-- No tenant set: nothing at all.
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM inbox_page(:ua, NULL, 'any', NULL, NULL, NULL, NULL, 10)),
    0, 'no tenant: inbox_page shows nothing');
SELECT is((SELECT count(*)::int FROM inbox_search_contacts('%rahasia%', '1919', '1919', 10)), 0,
    'no tenant: no contact matches');
SELECT is((SELECT count(*)::int FROM inbox_search_messages('%ongkir%', 10)), 0,
    'no tenant: no message matches');

-- Tenant A: its page, newest activity first, filters, cursor, unread counts.
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT results_eq(
    format('SELECT (conversation).id FROM inbox_page(%s, NULL, %L, NULL, NULL, NULL, NULL, 10)',
           :ua, 'any'),
    format('VALUES (%s::bigint), (%s::bigint)', :v2, :v1), 'A: newest activity first');
SELECT results_eq(
    format('SELECT (conversation).id FROM inbox_page(%s, NULL, %L, %s, NULL, NULL, NULL, 10)',
           :ua, 'user', :ua),
    format('VALUES (%s::bigint)', :v1), 'A: assigned to the agent');
SELECT results_eq(
    format('SELECT (conversation).id FROM inbox_page(%s, NULL, %L, NULL, NULL, NULL, NULL, 10)',
           :ua, 'none'),
    format('VALUES (%s::bigint)', :v2), 'A: unassigned');
SELECT is((SELECT count(*)::int FROM inbox_page(:ua, 'resolved', 'any', NULL, NULL, NULL, NULL, 10)),
    0, 'A: no resolved conversation');
SELECT results_eq(
    format('SELECT (conversation).id FROM inbox_page(%s, NULL, %L, NULL, NULL, %s, %s, 10)', :ua,
           'any', (SELECT activity_us FROM inbox_page(:ua, NULL, 'any', NULL, NULL, NULL, NULL, 1)),
           :v2),
    format('VALUES (%s::bigint)', :v1), 'A: the cursor continues after the first row');
SELECT is((SELECT count(*)::int FROM inbox_page(:ua, NULL, 'any', NULL, NULL, NULL, NULL, 1)), 1,
    'A: the limit holds');
SELECT is((SELECT unread_count FROM inbox_page(:ua, NULL, 'any', NULL, NULL, NULL, NULL, 10)
            WHERE (conversation).id = :v1), 0::bigint, 'A: read up to the last message: 0 unread');
SELECT is((SELECT unread_count FROM inbox_page(:ua, NULL, 'any', NULL, NULL, NULL, NULL, 10)
            WHERE (conversation).id = :v2), 2::bigint, 'A: never read: every inbound message');
SELECT is((SELECT (conversation).last_preview FROM inbox_page(:ua, NULL, 'any', NULL, NULL, NULL,
                                                               NULL, 10)
            WHERE (conversation).id = :v2), 'kode rahasia', 'A: the row carries the last message');

-- Tenant A's search.
SELECT results_eq('SELECT inbox_search_contacts(''%rahasia%'', NULL, NULL, 10)',
    format('VALUES (%s::bigint)', :v1), 'A: found by contact name');
SELECT results_eq('SELECT inbox_search_contacts(''%zzz%'', ''2929'', ''2929'', 10)',
    format('VALUES (%s::bigint)', :v2), 'A: found by phone digits');
SELECT results_eq('SELECT s FROM inbox_search_messages(''%ONGKIR%'', 10) s ORDER BY s',
    format('VALUES (%s::bigint), (%s::bigint)', :v1, :v2), 'A: found by message text, any case');
SELECT is((SELECT count(*)::int FROM inbox_search_messages('%ongkir%', 1)), 1,
    'A: the cap on messages holds');
SELECT is((SELECT count(*)::int FROM inbox_search_contacts('%a%', NULL, NULL, 1)), 1,
    'A: the cap on contacts holds');
SELECT is((SELECT count(*)::int FROM inbox_search_messages('%ongkir%', -5)), 0,
    'A: a negative cap finds nothing');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
