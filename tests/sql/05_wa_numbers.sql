-- The wa-numbers API's schema (0003): the label and change time, and removal. A disabled number
-- leaves the platform map (its phone_number_id is free for any tenant) and comes back when
-- reactivated; laris_app still cannot read the map nor delete numbers.
--
-- Fixtures are inserted as the superuser, then the tests switch to laris_app with SET LOCAL
-- ROLE. Everything happens in one transaction that is rolled back.

BEGIN;
SELECT plan(16);

SELECT has_column('wa_numbers', 'name', 'wa_numbers has a name label');
SELECT has_column('wa_numbers', 'updated_at', 'wa_numbers has updated_at');
SELECT table_privs_are('public', 'wa_number_routes', 'laris_app', ARRAY[]::name[],
    'laris_app still has no privilege at all on wa_number_routes');
SELECT table_privs_are('public', 'wa_numbers', 'laris_app', ARRAY['SELECT', 'INSERT', 'UPDATE'],
    'laris_app may not DELETE wa_numbers (removal disables)');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 05 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 05 B')
RETURNING id AS tb \gset

SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id, name, access_token_enc)
VALUES (:ta, '990500000000001', '990500000000901', 'A main', '\x0102'::bytea)
RETURNING id AS na \gset

SELECT results_eq(
    $$ SELECT tenant_id, wa_number_id FROM wa_number_route('990500000000001') $$,
    format($$ VALUES (%s::bigint, %s::bigint) $$, :ta, :na),
    'an active number routes to its tenant');
SELECT throws_ok($$ SELECT * FROM wa_number_routes $$, '42501', NULL,
    'laris_app cannot read wa_number_routes');
SELECT throws_ok(format($$ DELETE FROM wa_numbers WHERE id = %s $$, :na), '42501', NULL,
    'laris_app cannot delete a number');
SELECT throws_ok($$ UPDATE wa_numbers SET name = '' $$, '23514', NULL,
    'an empty name is refused');

-- Remove: disabled, out of the map.
UPDATE wa_numbers SET status = 'disabled', access_token_enc = NULL WHERE id = :na;
SELECT is_empty($$ SELECT * FROM wa_number_route('990500000000001') $$,
    'a disabled number no longer routes');
SELECT is_empty($$ SELECT * FROM wa_waba_route('990500000000901') $$,
    'nor does its WABA');

-- Tenant B connects the freed phone_number_id.
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT lives_ok(format($$ INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id)
                          VALUES (%s, '990500000000001', '990500000000902') $$, :tb),
    'another tenant can connect a removed number');
SELECT results_eq(
    $$ SELECT tenant_id FROM wa_number_route('990500000000001') $$,
    format($$ VALUES (%s::bigint) $$, :tb),
    'and it routes to that tenant now');

-- Tenant A cannot reactivate it while B has it; once B removes it, A can.
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT throws_ok(format($$ UPDATE wa_numbers SET status = 'active' WHERE id = %s $$, :na),
    '23505', NULL, 'reactivating a number another tenant holds is refused (23505)');
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
UPDATE wa_numbers SET status = 'disabled' WHERE phone_number_id = '990500000000001';
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT lives_ok(format($$ UPDATE wa_numbers SET status = 'active' WHERE id = %s $$, :na),
    'once freed, the first tenant can reactivate its row');
SELECT results_eq(
    $$ SELECT tenant_id, wa_number_id FROM wa_number_route('990500000000001') $$,
    format($$ VALUES (%s::bigint, %s::bigint) $$, :ta, :na),
    'the reactivated number routes again');
SELECT is((SELECT count(*)::int FROM wa_numbers WHERE phone_number_id = '990500000000001'), 1,
    'RLS: tenant A sees only its own row for that id');

SELECT * FROM finish();
ROLLBACK;
