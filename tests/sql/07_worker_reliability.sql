-- laris-worker reliability (0006): only laris_worker may run the new functions; a batch begin
-- starts each queued message once and never a flagged number's; 190 flags the number and
-- requeues the message; a new token (as laris_app under RLS) makes the number active and puts
-- its queued messages back into the outbox, for its own tenant only; stale sends become
-- unknown; the outbox replay marks only queued messages' rows.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(24);

SELECT function_privs_are('public', 'outbound_begin_many', ARRAY['bigint[]', 'bigint[]'],
    'laris_app', ARRAY[]::text[], 'laris_app cannot begin sends');
SELECT function_privs_are('public', 'outbound_token_expired',
    ARRAY['bigint', 'bigint', 'text', 'text'], 'laris_app', ARRAY[]::text[],
    'laris_app cannot flag a number');
SELECT function_privs_are('public', 'outbound_expire', ARRAY['integer'], 'laris_app',
    ARRAY[]::text[], 'laris_app cannot expire sends');
SELECT function_privs_are('public', 'outbox_rebuild', ARRAY[]::text[], 'laris_app',
    ARRAY[]::text[], 'laris_app cannot replay the outbox');
SELECT function_privs_are('public', 'outbound_begin_many', ARRAY['bigint[]', 'bigint[]'],
    'laris_worker', ARRAY['EXECUTE'], 'laris_worker may begin sends');
SELECT function_privs_are('public', 'outbound_result_many',
    ARRAY['bigint[]', 'bigint[]', 'text[]', 'text[]', 'integer[]', 'text[]', 'text[]'],
    'laris_app', ARRAY[]::text[], 'laris_app cannot record sends');
SELECT function_privs_are('public', 'outbox_rebuild', ARRAY[]::text[], 'laris_worker',
    ARRAY['EXECUTE'], 'laris_worker may replay the outbox');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 07 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 07 B')
RETURNING id AS tb \gset
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id, access_token_enc)
VALUES (:ta, '990700000000001', '990700000000901', '\x0102'::bytea) RETURNING id AS na \gset
INSERT INTO contacts (tenant_id, wa_id, last_inbound_at) VALUES (:ta, '6281200000701', now())
RETURNING id AS ca \gset
INSERT INTO conversations (tenant_id, contact_id, wa_number_id) VALUES (:ta, :ca, :na)
RETURNING id AS va \gset
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, type, body,
                      status)
VALUES (:ta, :va, :ca, :na, 'out', 'text', 'satu', 'queued') RETURNING id AS m1 \gset
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, type, body,
                      status)
VALUES (:ta, :va, :ca, :na, 'out', 'text', 'dua', 'queued') RETURNING id AS m2 \gset
INSERT INTO outbox (tenant_id, message_id, wa_number_id, relayed_at)
VALUES (:ta, :m1, :na, now()), (:ta, :m2, :na, now());

SET LOCAL ROLE laris_worker;
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM outbound_begin_many(ARRAY[:ta, :ta, :tb]::bigint[],
                                                         ARRAY[:m1, :m1, :m2]::bigint[])),
    1, 'a batch begins each queued message once, and only with its own tenant');
SELECT is((SELECT count(*)::int FROM outbound_begin_many(ARRAY[:ta]::bigint[],
                                                         ARRAY[:m1]::bigint[])),
    0, 'a message being sent is not begun again');
SELECT is(outbound_token_expired(:ta, :m1, 'Access token expired', 'wait'), true,
    'a 190 is recorded');
RESET ROLE;

SELECT results_eq(format($$ SELECT status, error_code FROM messages WHERE id = %s $$, :m1),
    $$ VALUES ('queued'::text, 190) $$, 'the message refused with 190 is queued again');
SELECT is((SELECT status FROM wa_numbers WHERE id = :na), 'disconnected', 'its number is flagged');

SET LOCAL ROLE laris_worker;
SELECT is((SELECT count(*)::int FROM outbound_begin_many(ARRAY[:ta, :ta]::bigint[],
                                                         ARRAY[:m1, :m2]::bigint[])),
    0, 'a flagged number''s messages are not begun');
SELECT is(outbox_rebuild(), 2, 'the replay marks the queued messages'' rows for relaying');
SELECT is(outbox_rebuild(), 0, 'and only once');
RESET ROLE;

-- Tenant B's app cannot touch A's number; A's app replaces the token under RLS.
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
UPDATE wa_numbers SET access_token_enc = '\x0303'::bytea WHERE id = :na;
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT is((SELECT status FROM wa_numbers WHERE id = :na), 'disconnected',
    'another tenant''s update changed nothing');
SELECT is((SELECT count(*)::int FROM outbox WHERE relayed_at IS NULL), 2,
    'before the new token: the two replayed rows');
UPDATE wa_numbers SET access_token_enc = '\x0304'::bytea WHERE id = :na;
SELECT is((SELECT status FROM wa_numbers WHERE id = :na), 'active', 'a new token reactivates');
SELECT is((SELECT count(*)::int FROM outbox WHERE relayed_at IS NULL), 4,
    'and puts both queued messages back into the outbox');
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM outbox), 0, 'RLS: tenant B sees none of them');
RESET ROLE;

-- Outcomes in one statement: only a message being sent takes one.
UPDATE messages SET status = 'sending' WHERE id = :m1;
SET LOCAL ROLE laris_worker;
SELECT is(outbound_result_many(ARRAY[:ta, :ta]::bigint[], ARRAY[:m1, :m2]::bigint[],
                               ARRAY['accepted', 'failed'], ARRAY['wamid.pgtap07', NULL],
                               ARRAY[NULL, 131026]::integer[], ARRAY[NULL, 'x, "y"'],
                               ARRAY[NULL, 'z']),
    1, 'a batch records the message being sent and not the queued one');
RESET ROLE;
SELECT results_eq(format($$ SELECT status, wamid FROM messages WHERE id IN (%s, %s) ORDER BY id $$,
                         :m1, :m2),
    $$ VALUES ('accepted'::text, 'wamid.pgtap07'::text), ('queued', NULL) $$,
    'the batch wrote the wamid of the one recorded');

-- A send left in 'sending' long ago (a dead worker) becomes unknown.
UPDATE messages SET status = 'sending', status_at = now() - interval '10 minutes' WHERE id = :m2;
SET LOCAL ROLE laris_worker;
SELECT is(outbound_expire(60000), 1, 'a stale send is expired');
RESET ROLE;
SELECT is((SELECT status FROM messages WHERE id = :m2), 'unknown', 'as unknown, never re-sent');

SELECT * FROM finish();
ROLLBACK;
