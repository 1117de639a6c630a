-- Distribution (0009): tenant_settings and conversation_assignments are tenant tables under RLS
-- (another tenant and no tenant see zero rows; history is never changed by the app); laris_worker
-- has no table privilege and reaches across tenants only through the dist_* functions, which
-- assign a chat once, never past an agent's capacity nor to an agent who is not online, and
-- send an offline agent's chats back to waiting after the grace period.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(36);

SELECT table_privs_are('public', 'tenant_settings', 'laris_app', ARRAY['SELECT', 'INSERT', 'UPDATE'],
    'laris_app may read and write settings, not delete them');
SELECT table_privs_are('public', 'conversation_assignments', 'laris_app', ARRAY['SELECT', 'INSERT'],
    'laris_app may add to the assignment history, never change it');
SELECT table_privs_are('public', 'tenant_settings', 'laris_worker', ARRAY[]::name[],
    'laris_worker has no privilege on tenant_settings');
SELECT table_privs_are('public', 'conversation_assignments', 'laris_worker', ARRAY[]::name[],
    'laris_worker has no privilege on conversation_assignments');
SELECT function_privs_are('public', 'dist_assign', ARRAY['bigint', 'bigint', 'bigint'], 'laris_app',
    ARRAY[]::text[], 'laris_app cannot run the assigner''s dist_assign');
SELECT function_privs_are('public', 'dist_redistribute', ARRAY[]::text[], 'laris_app',
    ARRAY[]::text[], 'laris_app cannot run dist_redistribute');
SELECT function_privs_are('public', 'dist_assign', ARRAY['bigint', 'bigint', 'bigint'],
    'laris_worker', ARRAY['EXECUTE'], 'laris_worker may run dist_assign');
SELECT function_privs_are('public', 'dist_bump', ARRAY['bigint'], 'laris_worker',
    ARRAY[]::text[], 'laris_worker cannot bump a version by itself');
SELECT is((SELECT prosecdef FROM pg_proc WHERE proname = 'dist_assign'), true,
    'dist_assign is SECURITY DEFINER');
SELECT is((SELECT prosecdef FROM pg_proc WHERE proname = 'dist_bump'), false,
    'dist_bump runs as its caller (RLS applies to laris_app)');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 12 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 12 B')
RETURNING id AS tb \gset
INSERT INTO users (tenant_id, email, name, role, password_hash, presence, max_chats)
VALUES (:ta, 'pgtap12-a1@example.com', 'A1', 'agent', 'x', 'online', 1) RETURNING id AS a1 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash, presence)
VALUES (:ta, 'pgtap12-a2@example.com', 'A2', 'agent', 'x', 'offline') RETURNING id AS a2 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash, presence)
VALUES (:ta, 'pgtap12-a3@example.com', 'A3', 'agent', 'x', 'online') RETURNING id AS a3 \gset
INSERT INTO contacts (tenant_id, wa_id) VALUES (:ta, '6281200001201') RETURNING id AS k1 \gset
INSERT INTO contacts (tenant_id, wa_id) VALUES (:ta, '6281200001202') RETURNING id AS k2 \gset
INSERT INTO conversations (tenant_id, contact_id, opened_at) VALUES (:ta, :k1, now() - interval '2 minutes')
RETURNING id AS c1 \gset
INSERT INTO conversations (tenant_id, contact_id, opened_at) VALUES (:ta, :k2, now() - interval '1 minute')
RETURNING id AS c2 \gset

-- laris_app as tenant A.
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
INSERT INTO tenant_settings (tenant_id, offline_grace_seconds) VALUES (:ta, 60);
INSERT INTO conversation_assignments (tenant_id, conversation_id, to_user_id, reason, by_user_id)
VALUES (:ta, :c1, :a1, 'claim', :a1);
SELECT throws_ok(format($$ INSERT INTO tenant_settings (tenant_id) VALUES (%s) $$, :tb),
    '42501', NULL, 'laris_app cannot write settings for another tenant');
SELECT throws_ok(format($$ INSERT INTO conversation_assignments (tenant_id, conversation_id, reason)
                           VALUES (%s, %s, 'claim') $$, :tb, :c1),
    '42501', NULL, 'laris_app cannot write history for another tenant');
SELECT throws_ok($$ UPDATE conversation_assignments SET reason = 'auto' $$, '42501', NULL,
    'laris_app cannot rewrite the history');
SELECT throws_ok($$ INSERT INTO tenant_settings (tenant_id, distribution_mode)
                    VALUES (laris_current_tenant(), 'random')
                    ON CONFLICT (tenant_id) DO UPDATE SET distribution_mode = 'random' $$,
    '23514', NULL, 'an unknown distribution mode is refused');
UPDATE users SET presence = 'away' WHERE id = :a2;
SELECT is((SELECT dist_version FROM tenant_settings), 2::bigint,
    'a presence change moves dist_version (Redis is rebuilt)');
SELECT throws_ok($$ DELETE FROM conversation_assignments $$, '42501', NULL,
    'laris_app cannot delete history');

-- Tenant B and no tenant see nothing of A.
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM tenant_settings), 0, 'RLS: tenant B sees no settings of A');
SELECT is((SELECT count(*)::int FROM conversation_assignments), 0,
    'RLS: tenant B sees no assignment of A');
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM tenant_settings), 0, 'RLS: no tenant, no settings');
SELECT is((SELECT count(*)::int FROM conversation_assignments), 0,
    'RLS: no tenant, no assignment');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM conversation_assignments WHERE tenant_id = :ta), 1,
    'tenant A''s history row is there for its own tenant');
DELETE FROM conversation_assignments WHERE tenant_id = :ta;
UPDATE users SET presence = 'offline' WHERE id = :a2;

-- The assigner, as laris_worker with no tenant set.
SET LOCAL ROLE laris_worker;
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT throws_ok($$ SELECT * FROM conversations $$, '42501', NULL,
    'laris_worker cannot read conversations');
SELECT ok(EXISTS (SELECT 1 FROM dist_waiting_tenants() WHERE tenant_id = :ta),
    'tenant A has chats waiting and an agent online');
SELECT is(dist_take_waiting(:ta), :c1::bigint, 'the oldest waiting chat comes first');
SELECT is(dist_assign(:ta, :c1, :a2), 'unavailable', 'an offline agent gets nothing');
SELECT is(dist_assign(:ta, :c1, :a1), 'assigned', 'an online agent under capacity gets the chat');
SELECT is(dist_assign(:ta, :c1, :a3), 'taken', 'a chat is assigned once');
SELECT is(dist_assign(:ta, :c2, :a1), 'full', 'an agent at max_chats gets no more');
SELECT results_eq(format($$ SELECT user_id, load, available FROM dist_agents(%s) $$, :ta),
    format($$ VALUES (%s::bigint, 0::bigint, false), (%s::bigint, 0::bigint, true),
                     (%s::bigint, 1::bigint, true) $$, :a2, :a3, :a1),
    'dist_agents: loads, presence, least recently assigned first');
RESET ROLE;

SELECT results_eq(format($$ SELECT assignee_id FROM conversations WHERE id IN (%s, %s) ORDER BY id $$,
                         :c1, :c2),
    format($$ VALUES (%s::bigint), (NULL::bigint) $$, :a1),
    'only the accepted assignment changed a chat');
SELECT results_eq(format($$ SELECT conversation_id, to_user_id, reason FROM conversation_assignments
                            WHERE tenant_id = %s $$, :ta),
    format($$ VALUES (%s::bigint, %s::bigint, 'auto'::text) $$, :c1, :a1),
    'one history row for the one assignment');

-- An agent offline past the grace period (60 s for A) loses their open chats.
UPDATE users SET presence = 'offline', presence_at = now() - interval '30 seconds' WHERE id = :a1;
SET LOCAL ROLE laris_worker;
SELECT is(dist_redistribute() >= 0, true, 'dist_redistribute runs for laris_worker');
RESET ROLE;
SELECT is((SELECT assignee_id FROM conversations WHERE id = :c1), :a1::bigint,
    'within the grace period the chat stays');
UPDATE users SET presence_at = now() - interval '2 minutes' WHERE id = :a1;
SET LOCAL ROLE laris_worker;
SELECT is(dist_redistribute() >= 1, true, 'past the grace period chats are freed');
RESET ROLE;
SELECT is((SELECT assignee_id FROM conversations WHERE id = :c1), NULL::bigint,
    'the offline agent''s chat waits again');
SELECT is((SELECT count(*)::int FROM conversation_assignments
            WHERE tenant_id = :ta AND reason = 'redistribute' AND from_user_id = :a1), 1,
    'the redistribution is recorded');

SELECT * FROM finish();
ROLLBACK;
