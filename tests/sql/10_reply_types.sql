-- Every outbound type (0010): a read receipt is a 'read' row at most once per inbound wamid and
-- tenant, invisible to other tenants and to no tenant; outbound_begin (replaced) still starts a
-- send once, only for laris_worker, and hands over the quoted wamid.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(9);

SELECT function_privs_are('public', 'outbound_begin', ARRAY['bigint', 'bigint'], 'laris_app',
    ARRAY[]::text[], 'laris_app cannot begin a send');
SELECT function_privs_are('public', 'outbound_begin', ARRAY['bigint', 'bigint'], 'laris_worker',
    ARRAY['EXECUTE'], 'laris_worker may begin a send');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 10 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 10 B')
RETURNING id AS tb \gset
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id, access_token_enc)
VALUES (:ta, '991000000000001', '991000000000901', '\x0102'::bytea) RETURNING id AS na \gset
INSERT INTO contacts (tenant_id, wa_id, last_inbound_at) VALUES (:ta, '6281200001001', now())
RETURNING id AS ca \gset
INSERT INTO conversations (tenant_id, contact_id, wa_number_id) VALUES (:ta, :ca, :na)
RETURNING id AS va \gset

SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, type,
                      payload, status, reply_to_wamid)
VALUES (:ta, :va, :ca, :na, 'out', 'read', '{"message_id":"wamid.IN10"}', 'queued', 'wamid.IN10');
SELECT throws_ok(format($$ INSERT INTO messages (tenant_id, conversation_id, contact_id,
                           wa_number_id, direction, type, status, reply_to_wamid)
                           VALUES (%s, %s, %s, %s, 'out', 'read', 'queued', 'wamid.IN10') $$,
                        :ta, :va, :ca, :na),
    '23505', NULL, 'one read receipt per inbound message');
SELECT lives_ok(format($$ INSERT INTO messages (tenant_id, conversation_id, contact_id,
                          wa_number_id, direction, type, body, status, reply_to_wamid)
                          VALUES (%s, %s, %s, %s, 'out', 'text', 'ya', 'queued', 'wamid.IN10') $$,
                       :ta, :va, :ca, :na),
    'quotes of the same message are not limited');
SELECT id AS ma FROM messages WHERE type = 'text' AND reply_to_wamid = 'wamid.IN10' \gset

SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM messages WHERE type = 'read'), 0,
    'RLS: tenant B sees no read receipt of A');
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM messages WHERE reply_to_wamid = 'wamid.IN10'), 0,
    'RLS: no tenant set sees no receipt or quote');
RESET ROLE;

SET LOCAL ROLE laris_worker;
SELECT is((SELECT reply_to_wamid FROM outbound_begin(:ta, :ma)), 'wamid.IN10',
    'outbound_begin hands the quoted wamid to the worker');
SELECT is((SELECT count(*)::int FROM outbound_begin(:ta, :ma)), 0,
    'a message is begun once');
SELECT is((SELECT count(*)::int FROM outbound_begin(:tb, :ma)), 0,
    'another tenant id begins nothing');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
