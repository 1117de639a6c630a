-- Webhook ingest (0011): wa_ingest_change() stores a change only in the tenant the platform map
-- routes it to, whatever tenant the caller set; another tenant and no tenant see none of it; it
-- wakes a snoozed conversation, deduplicates by wamid and by change. wa_number_webhook() answers
-- one active number's credentials and nothing else.
--
-- Fixtures are inserted as the superuser, then the tests switch to laris_app with SET LOCAL
-- ROLE. Everything happens in one transaction that is rolled back.

BEGIN;
SELECT plan(17);

SELECT function_privs_are('public', 'wa_ingest_change',
    ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'jsonb'], 'laris_app', ARRAY['EXECUTE'],
    'laris_app may run wa_ingest_change');
SELECT ok(NOT has_function_privilege('public', 'wa_number_webhook(bigint)', 'EXECUTE'),
    'PUBLIC may not run wa_number_webhook');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 11 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 11 B')
RETURNING id AS tb \gset
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id, app_secret_enc, verify_token)
VALUES (:ta, '991100000000001', '991100000000901', '\x0102'::bytea, 'verify-a-123')
RETURNING id AS na \gset
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id, status)
VALUES (:tb, '991100000000002', '991100000000902', 'disabled')
RETURNING id AS nb \gset

SET LOCAL ROLE laris_app;

-- Called while tenant B is set, a change for A's number lands in A.
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT results_eq(
    $$ SELECT routed_number_id IS NOT NULL, event_id IS NOT NULL, new_messages
         FROM wa_ingest_change('991100000000001', '991100000000901', 'messages', repeat('a', 64),
              '{"value": {"messages": [{"id": "wamid.pgtap11.1"}]}}',
              '[{"i": 0, "wa_id": "6281299990001", "phone": "6281299990001", "name": "Siti",
                 "wamid": "wamid.pgtap11.1", "type": "text", "body": "halo", "ts": "1763800000"}]', '[]') $$,
    $$ VALUES (true, true, 1) $$,
    'a change is routed and its message stored');
SELECT is(current_setting('laris.tenant_id'), :'ta', 'the transaction is now the routed tenant''s');
SELECT results_eq($$ SELECT count(*)::int FROM messages WHERE wamid = 'wamid.pgtap11.1' $$,
    $$ VALUES (1) $$, 'tenant A sees the message');
SELECT results_eq($$ SELECT raw->>'id' FROM messages WHERE wamid = 'wamid.pgtap11.1' $$,
    $$ VALUES ('wamid.pgtap11.1') $$, 'its raw JSON is value.messages[i] of the change');

SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is_empty($$ SELECT 1 FROM messages UNION ALL SELECT 1 FROM contacts
                   UNION ALL SELECT 1 FROM conversations UNION ALL SELECT 1 FROM webhook_events $$,
    'tenant B sees none of it');
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is_empty($$ SELECT 1 FROM messages UNION ALL SELECT 1 FROM contacts
                   UNION ALL SELECT 1 FROM conversations UNION ALL SELECT 1 FROM webhook_events $$,
    'no tenant set sees none of it');

-- The same change again: nothing. Unknown or disabled numbers: not routed.
SELECT results_eq(
    $$ SELECT event_id IS NULL, new_messages
         FROM wa_ingest_change('991100000000001', '991100000000901', 'messages', repeat('a', 64),
              '{}', '[]', '[]') $$,
    $$ VALUES (true, 0) $$, 'a redelivered change is a no-op');
SELECT results_eq(
    $$ SELECT routed_tenant_id IS NULL FROM wa_ingest_change('991100000000002', '991100000000902',
              'messages', repeat('b', 64), '{}', '[]', '[]') $$,
    $$ VALUES (true) $$, 'a disabled number is not routed');
SELECT results_eq(
    $$ SELECT routed_tenant_id IS NULL FROM wa_ingest_change('991100000009999', '1',
              'messages', repeat('c', 64), '{}', '[]', '[]') $$,
    $$ VALUES (true) $$, 'an unknown number is not routed');

-- A snoozed conversation wakes on a new message, not on a redelivered one.
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
UPDATE conversations SET status = 'snoozed', snoozed_until = now() + interval '1 day';
SELECT results_eq(
    $$ SELECT new_messages FROM wa_ingest_change('991100000000001', '991100000000901', 'messages',
              repeat('d', 64), '{"value": {"messages": [{}]}}',
              '[{"i": 0, "wa_id": "6281299990001", "wamid": "wamid.pgtap11.1", "type": "text",
                 "ts": "1763800000"}]', '[]') $$,
    $$ VALUES (0) $$, 'a redelivered message in a new change is not new');
SELECT results_eq($$ SELECT status, snoozed_until IS NULL FROM conversations $$,
    $$ VALUES ('snoozed', false) $$, 'and wakes nothing');
SELECT results_eq(
    $$ SELECT new_messages FROM wa_ingest_change('991100000000001', '991100000000901', 'messages',
              repeat('e', 64), '{"value": {"messages": [{}]}}',
              '[{"i": 0, "wa_id": "6281299990001", "wamid": "wamid.pgtap11.2", "type": "text",
                 "ts": "1763800100"}]', '[]') $$,
    $$ VALUES (1) $$, 'a new message');
SELECT results_eq($$ SELECT status, snoozed_until IS NULL, count(*)::int FROM conversations
                     GROUP BY 1, 2 $$,
    $$ VALUES ('open', true, 1) $$, 'wakes the same conversation');

-- wa_number_webhook: one active number, whatever tenant is set.
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT results_eq(
    format($$ SELECT tenant_id, wa_number_id, phone_number_id, waba_id, verify_token
                FROM wa_number_webhook(%s) $$, :na),
    format($$ VALUES (%s::bigint, %s::bigint, '991100000000001'::text, '991100000000901'::text,
                      'verify-a-123'::text) $$, :ta, :na),
    'a number''s webhook credentials');
SELECT is_empty(format($$ SELECT * FROM wa_number_webhook(%s) $$, :nb),
    'a disabled number has none');

SELECT * FROM finish();
ROLLBACK;
