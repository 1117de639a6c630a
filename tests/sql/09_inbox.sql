-- The inbox (0008): labels, conversation_labels, contact_labels, conversation_notes,
-- conversation_reads and quick_replies are tenant tables under RLS; the inbox_conversations view
-- and the search functions (0019) show the current tenant's rows only; laris_worker wakes snoozed
-- conversations through conversations_wake_snoozed() and can read nothing.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(35);

SELECT is((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE relname = t), true,
          t || ': RLS enabled and forced')
  FROM unnest(ARRAY['labels', 'conversation_labels', 'contact_labels', 'conversation_notes',
                    'conversation_reads', 'quick_replies']) t;
SELECT is((SELECT reloptions::text FROM pg_class WHERE relname = 'inbox_conversations'),
          '{security_invoker=true}', 'the inbox view runs with the caller''s RLS');
SELECT function_privs_are('public', 'conversations_wake_snoozed', ARRAY['integer'], 'laris_app',
    ARRAY[]::text[], 'laris_app cannot wake other tenants'' conversations');
SELECT function_privs_are('public', 'conversations_wake_snoozed', ARRAY['integer'],
    'laris_worker', ARRAY['EXECUTE'], 'laris_worker may wake snoozed conversations');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 09 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 09 B')
RETURNING id AS tb \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:ta, 'pgtap09a@example.com', 'Agen A', 'agent', 'x') RETURNING id AS ua \gset
INSERT INTO contacts (tenant_id, wa_id, phone, name)
VALUES (:ta, '6281200000909', '6281200000909', 'Rahasia Sembilan') RETURNING id AS ca \gset
INSERT INTO conversations (tenant_id, contact_id, status, snoozed_until)
VALUES (:ta, :ca, 'snoozed', now() - interval '1 minute') RETURNING id AS va \gset
INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, type, body)
VALUES (:ta, :va, :ca, 'in', 'text', 'pesan rahasia sembilan');
INSERT INTO labels (tenant_id, name) VALUES (:ta, 'VIP') RETURNING id AS la \gset
INSERT INTO conversation_labels VALUES (:ta, :va, :la);
INSERT INTO contact_labels VALUES (:ta, :ca, :la);
INSERT INTO conversation_notes (tenant_id, conversation_id, author_id, body)
VALUES (:ta, :va, :ua, 'catatan');
INSERT INTO conversation_reads (tenant_id, conversation_id, user_id) VALUES (:ta, :va, :ua);
INSERT INTO quick_replies (tenant_id, shortcut, body) VALUES (:ta, '/halo', 'Halo {{nama}}');

SELECT throws_ok($$ INSERT INTO labels (tenant_id, name) VALUES ($$ || :ta || $$, 'vip') $$,
    '23505', NULL, 'label names are unique per tenant ignoring case');
SELECT lives_ok($$ INSERT INTO labels (tenant_id, name) VALUES ($$ || :tb || $$, 'VIP') $$,
    'another tenant may use the same label name');
SELECT throws_ok($$ INSERT INTO quick_replies (tenant_id, shortcut, body)
                    VALUES ($$ || :ta || $$, 'halo', 'x') $$,
    '23514', NULL, 'a shortcut starts with a slash');

-- Tenant B sees none of A's rows, through the tables, the view or the search function.
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM labels WHERE name = 'VIP' AND tenant_id = :ta), 0,
    'RLS: tenant B sees no label of A');
SELECT is((SELECT count(*)::int FROM conversation_labels), 0, 'RLS: B sees no conversation label');
SELECT is((SELECT count(*)::int FROM contact_labels), 0, 'RLS: B sees no contact label');
SELECT is((SELECT count(*)::int FROM conversation_notes), 0, 'RLS: B sees no note');
SELECT is((SELECT count(*)::int FROM conversation_reads), 0, 'RLS: B sees no read marker');
SELECT is((SELECT count(*)::int FROM quick_replies), 0, 'RLS: B sees no quick reply');
SELECT is((SELECT count(*)::int FROM inbox_conversations), 0, 'RLS: B sees no inbox row');
SELECT is((SELECT count(*)::int FROM (SELECT inbox_search_contacts('%rahasia%', '0909', '0909', 10)
                                      UNION ALL SELECT inbox_search_messages('%rahasia%', 10)) s), 0,
    'search matches nothing of A for B');
SELECT throws_ok($$ INSERT INTO conversation_notes (tenant_id, conversation_id, body)
                    VALUES ($$ || :ta || $$, $$ || :va || $$, 'x') $$,
    '42501', NULL, 'B cannot write a note into A');

-- No tenant set: nothing at all.
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM labels), 0, 'no tenant: no labels');
SELECT is((SELECT count(*)::int FROM quick_replies), 0, 'no tenant: no quick replies');
SELECT is((SELECT count(*)::int FROM conversation_notes), 0, 'no tenant: no notes');
SELECT is((SELECT count(*)::int FROM inbox_conversations), 0, 'no tenant: no inbox rows');
SELECT is((SELECT count(*)::int FROM (SELECT inbox_search_contacts('%rahasia%', NULL, NULL, 10)
                                      UNION ALL SELECT inbox_search_messages('%rahasia%', 10)) s), 0,
    'no tenant: search matches nothing');
SELECT throws_ok($$ SELECT conversations_wake_snoozed(10) $$, '42501', NULL,
    'laris_app cannot run the wake-up');

-- Tenant A sees its own.
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM inbox_conversations WHERE id = :va), 1, 'A sees its row');
SELECT is((SELECT labels::text FROM inbox_conversations WHERE id = :va),
          format('[{"id" : %s, "name" : "VIP", "color" : "#64748b"}]', :la),
          'the row carries its labels');
SELECT is((SELECT count(*)::int FROM (SELECT inbox_search_contacts('%rahasia%', NULL, NULL, 10)
                                      UNION SELECT inbox_search_messages('%rahasia%', 10)) s), 1,
    'A finds its conversation by name and message');
SELECT is((SELECT count(*)::int FROM inbox_search_contacts('%zzz%', '0909', '0909', 10)), 1,
    'A finds its conversation by phone digits');
RESET ROLE;

-- The worker wakes A's conversation, and only once.
SET LOCAL ROLE laris_worker;
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT throws_ok($$ SELECT * FROM conversations $$, '42501', NULL,
    'laris_worker cannot read conversations');
SELECT is((SELECT count(*)::int FROM conversations_wake_snoozed(100) WHERE conversation_id = :va),
    1, 'a snoozed conversation past its time is woken');
SELECT is((SELECT count(*)::int FROM conversations_wake_snoozed(100) WHERE conversation_id = :va),
    0, 'and not again');
RESET ROLE;
SELECT is((SELECT status || coalesce(snoozed_until::text, '') FROM conversations WHERE id = :va),
    'open', 'it is open with no snooze time');

SELECT * FROM finish();
ROLLBACK;
