-- Media (0007): media is a tenant table under RLS; an inbound message with a media id makes its
-- pending row by trigger under the webhook's tenant; laris_app reads and inserts its tenant's
-- rows only; laris_worker has no table privilege and crosses tenants only through media_claim
-- and media_result. Paths can only be content-addressed names.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(20);

SELECT table_privs_are('public', 'media', 'laris_app', ARRAY['SELECT', 'INSERT'],
    'laris_app may read and insert media rows, not change or delete them');
SELECT table_privs_are('public', 'media', 'laris_worker', ARRAY[]::name[],
    'laris_worker has no privilege on media');
SELECT is((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE relname = 'media'),
    true, 'RLS is enabled and forced on media');
SELECT function_privs_are('public', 'media_claim', ARRAY['integer'], 'laris_app', ARRAY[]::text[],
    'laris_app cannot claim media fetches');
SELECT function_privs_are('public', 'media_claim', ARRAY['integer'], 'laris_worker',
    ARRAY['EXECUTE'], 'laris_worker may claim media fetches');
SELECT is((SELECT prosecdef FROM pg_proc WHERE proname = 'media_result'), true,
    'media_result is SECURITY DEFINER');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 08 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 08 B')
RETURNING id AS tb \gset
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id, access_token_enc)
VALUES (:ta, '990800000000001', '990800000000901', '\x0102'::bytea) RETURNING id AS na \gset
INSERT INTO contacts (tenant_id, wa_id) VALUES (:ta, '6281200000801') RETURNING id AS ca \gset
INSERT INTO conversations (tenant_id, contact_id, wa_number_id) VALUES (:ta, :ca, :na)
RETURNING id AS va \gset

-- The webhook path (laris_app as tenant A) stores an inbound image: the trigger adds its row.
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, wamid, type,
                      media_id, raw)
VALUES (:ta, :va, :ca, :na, 'in', 'wamid.pgtap08', 'image', '990800000000777',
        '{"image": {"mime_type": "image/jpeg", "id": "990800000000777"}}') RETURNING id AS ma \gset
SELECT results_eq(
    format($$ SELECT status, graph_media_id, mime_type, tenant_id FROM media WHERE message_id = %s $$, :ma),
    format($$ VALUES ('pending'::text, '990800000000777'::text, 'image/jpeg'::text, %s::bigint) $$, :ta),
    'an inbound media message gets a pending media row of its tenant');
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, wamid, type,
                      media_id)
VALUES (:ta, :va, :ca, :na, 'in', 'wamid.pgtap08b', 'image', '../../etc/passwd');
SELECT is((SELECT count(*)::int FROM media WHERE graph_media_id = '../../etc/passwd'), 0,
    'a media id that is not a plain id makes no media row');
SELECT throws_ok(format($$ INSERT INTO media (tenant_id, direction, status) VALUES (%s, 'out', 'pending') $$, :tb),
    '42501', NULL, 'laris_app cannot insert media for another tenant');
SELECT throws_ok(format($$ INSERT INTO media (tenant_id, direction, path) VALUES (%s, 'out', '../x') $$, :ta),
    '23514', NULL, 'a path that is not content-addressed is refused');
SELECT throws_ok($$ UPDATE media SET status = 'stored' $$, '42501', NULL,
    'laris_app cannot change media rows');

SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM media), 0, 'RLS: tenant B sees no media row of A');
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM media), 0, 'RLS: with no tenant set no media row is seen');
RESET ROLE;

SELECT id AS da FROM media WHERE message_id = :ma \gset

-- The worker, with no tenant set.
SET LOCAL ROLE laris_worker;
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT throws_ok($$ SELECT * FROM media $$, '42501', NULL, 'laris_worker cannot read media');
SELECT results_eq(
    format($$ SELECT tenant_id, graph_media_id, phone_number_id FROM media_claim(10) WHERE media_id = %s $$, :da),
    format($$ VALUES (%s::bigint, '990800000000777'::text, '990800000000001'::text) $$, :ta),
    'media_claim hands the worker a due row of any tenant with its number');
SELECT is((SELECT count(*)::int FROM media_claim(10) WHERE media_id = :da), 0,
    'a claimed row is leased: not claimed again at once');
SELECT is(media_result(:ta, :da, 'stored', 'image/jpeg', repeat('ab', 32), 12,
                       'ab/' || repeat('ab', 32), NULL, 0), true,
    'media_result records a stored file');
SELECT is(media_result(:ta, :da, 'refused', NULL, NULL, NULL, NULL, 'late', 0), false,
    'a recorded outcome is not overwritten');
SELECT throws_ok(format($$ SELECT media_result(%s, %s, 'deleted', NULL, NULL, NULL, NULL, NULL, 0) $$, :ta, :da),
    '22023', NULL, 'media_result refuses an unknown status');
RESET ROLE;

SELECT results_eq(
    format($$ SELECT status, size, attempts FROM media WHERE id = %s $$, :da),
    $$ VALUES ('stored'::text, 12::bigint, 1) $$,
    'the media row is stored after one attempt');

SELECT * FROM finish();
ROLLBACK;
