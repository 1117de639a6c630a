-- Messages out (0004): outbox and idempotency_keys are tenant tables under RLS; laris_app can
-- queue for its tenant only; laris_worker has no table privilege at all and crosses tenants
-- only through outbox_claim / outbound_begin / outbound_result, which send a message once.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(22);

SELECT table_privs_are('public', 'outbox', 'laris_app', ARRAY['SELECT', 'INSERT'],
    'laris_app may read and insert outbox rows, not change or delete them');
SELECT table_privs_are('public', 'outbox', 'laris_worker', ARRAY[]::name[],
    'laris_worker has no privilege on outbox');
SELECT table_privs_are('public', 'messages', 'laris_worker', ARRAY[]::name[],
    'laris_worker has no privilege on messages');
SELECT table_privs_are('public', 'wa_numbers', 'laris_worker', ARRAY[]::name[],
    'laris_worker has no privilege on wa_numbers');
SELECT ok(NOT (SELECT rolbypassrls FROM pg_roles WHERE rolname = 'laris_worker'),
    'laris_worker does not bypass RLS');
SELECT function_privs_are('public', 'outbox_claim', ARRAY['integer'], 'laris_app', ARRAY[]::text[],
    'laris_app cannot claim the outbox');
SELECT function_privs_are('public', 'outbound_begin', ARRAY['bigint', 'bigint'], 'laris_app',
    ARRAY[]::text[], 'laris_app cannot begin a send');
SELECT function_privs_are('public', 'outbox_claim', ARRAY['integer'], 'laris_worker',
    ARRAY['EXECUTE'], 'laris_worker may claim the outbox');
SELECT is((SELECT prosecdef FROM pg_proc WHERE proname = 'outbound_result'), true,
    'outbound_result is SECURITY DEFINER');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 06 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 06 B')
RETURNING id AS tb \gset
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id, access_token_enc)
VALUES (:ta, '990600000000001', '990600000000901', '\x0102'::bytea) RETURNING id AS na \gset
INSERT INTO contacts (tenant_id, wa_id, last_inbound_at) VALUES (:ta, '6281200000601', now())
RETURNING id AS ca \gset
INSERT INTO conversations (tenant_id, contact_id, wa_number_id) VALUES (:ta, :ca, :na)
RETURNING id AS va \gset

-- laris_app queues as tenant A.
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, type, body,
                      status)
VALUES (:ta, :va, :ca, :na, 'out', 'text', 'halo', 'queued') RETURNING id AS ma \gset
INSERT INTO outbox (tenant_id, message_id, wa_number_id) VALUES (:ta, :ma, :na);
INSERT INTO idempotency_keys (tenant_id, key, scope, message_id) VALUES (:ta, 'k-06', 'reply', :ma);
SELECT throws_ok(format($$ INSERT INTO outbox (tenant_id, message_id, wa_number_id)
                           VALUES (%s, %s, %s) $$, :tb, :ma, :na),
    '42501', NULL, 'laris_app cannot queue for another tenant');
SELECT throws_ok($$ UPDATE outbox SET relayed_at = now() $$, '42501', NULL,
    'laris_app cannot mark outbox rows relayed');

-- Tenant B sees none of it.
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM outbox), 0, 'RLS: tenant B sees no outbox row of A');
SELECT is((SELECT count(*)::int FROM idempotency_keys), 0, 'RLS: tenant B sees no key of A');
RESET ROLE;

-- The worker, with no tenant set.
SET LOCAL ROLE laris_worker;
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT throws_ok($$ SELECT * FROM outbox $$, '42501', NULL, 'laris_worker cannot read outbox');
SELECT throws_ok($$ SELECT * FROM messages $$, '42501', NULL, 'laris_worker cannot read messages');
SELECT results_eq(
    format($$ SELECT tenant_id, message_id FROM outbox_claim(10) WHERE message_id = %s $$, :ma),
    format($$ VALUES (%s::bigint, %s::bigint) $$, :ta, :ma),
    'outbox_claim hands the worker a row of any tenant');
SELECT is((SELECT count(*)::int FROM outbox_claim(10) WHERE message_id = :ma), 0,
    'a claimed row is not claimed again');
SELECT is((SELECT count(*)::int FROM outbound_begin(:ta, :ma)), 1,
    'outbound_begin starts a queued message');
SELECT is((SELECT count(*)::int FROM outbound_begin(:ta, :ma)), 0,
    'outbound_begin never starts the same message twice');
SELECT is(outbound_result(:ta, :ma, 'accepted', 'wamid.pgtap06', NULL, NULL, NULL), true,
    'outbound_result records the wamid');
SELECT is(outbound_result(:ta, :ma, 'unknown', NULL, NULL, NULL, NULL), false,
    'a recorded result is not overwritten');
RESET ROLE;

SELECT results_eq(
    format($$ SELECT status, wamid FROM messages WHERE id = %s $$, :ma),
    $$ VALUES ('accepted'::text, 'wamid.pgtap06'::text) $$,
    'the message is accepted with its wamid');

SELECT * FROM finish();
ROLLBACK;
