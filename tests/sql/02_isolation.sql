-- Behaviour of tenant isolation as the application role: what laris_app sees and may change
-- with tenant A set, with tenant B set, and with no tenant at all.
--
-- Fixtures are inserted as the superuser (which bypasses RLS), then the tests switch to
-- laris_app with SET LOCAL ROLE. Counts as laris_app are exact (RLS hides every other row,
-- demo data included); superuser-side checks filter by the fixture tenant ids.
-- Everything happens in one transaction that is rolled back.

BEGIN;
SELECT plan(79);

-- ---------------------------------------------------------------------------------------
-- Fixtures (as superuser)
--   tenant A: 2 users, 2 sessions, 1 api key, 3 audit rows
--   tenant B: 3 users, 1 session,  2 api keys, 2 audit rows
--   platform: 1 audit row with tenant_id 0
-- ---------------------------------------------------------------------------------------
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 02 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 02 B')
RETURNING id AS tb \gset

INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:ta, 'owner@p02-a.pgtap.test', 'A Owner', 'owner', 'hash-a1') RETURNING id AS ua1 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:ta, 'agent@p02-a.pgtap.test', 'A Agent', 'agent', 'hash-a2') RETURNING id AS ua2 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:tb, 'owner@p02-b.pgtap.test', 'B Owner', 'owner', 'hash-b1') RETURNING id AS ub1 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:tb, 'super@p02-b.pgtap.test', 'B Supervisor', 'supervisor', 'hash-b2') RETURNING id AS ub2 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:tb, 'agent@p02-b.pgtap.test', 'B Agent', 'agent', 'hash-b3') RETURNING id AS ub3 \gset

INSERT INTO sessions (tenant_id, user_id, token_hash, expires_at) VALUES
    (:ta, :ua1, encode(sha256('p02-a-session-1'), 'hex'), now() + interval '1 day'),
    (:ta, :ua2, encode(sha256('p02-a-session-2'), 'hex'), now() + interval '1 day');
INSERT INTO sessions (tenant_id, user_id, token_hash, expires_at)
VALUES (:tb, :ub1, encode(sha256('p02-b-session-1'), 'hex'), now() + interval '1 day')
RETURNING id AS sb1 \gset

INSERT INTO api_keys (tenant_id, name, role, token_hash, token_hint, created_by)
VALUES (:ta, 'A key', 'owner', encode(sha256('p02-a-key-1'), 'hex'), 'lrs_a1', :ua1);
INSERT INTO api_keys (tenant_id, name, role, token_hash, token_hint, created_by)
VALUES (:tb, 'B key 1', 'owner', encode(sha256('p02-b-key-1'), 'hex'), 'lrs_b1', :ub1)
RETURNING id AS kb1 \gset
INSERT INTO api_keys (tenant_id, name, role, token_hash, token_hint, created_by)
VALUES (:tb, 'B key 2', 'agent', encode(sha256('p02-b-key-2'), 'hex'), 'lrs_b2', :ub1);

INSERT INTO audit_log (tenant_id, actor_user_id, actor_kind, action) VALUES
    (:ta, :ua1, 'user', 'pgtap.a.1'), (:ta, :ua1, 'user', 'pgtap.a.2'), (:ta, :ua2, 'user', 'pgtap.a.3'),
    (:tb, :ub1, 'user', 'pgtap.b.1'), (:tb, :ub2, 'user', 'pgtap.b.2'),
    (0, NULL, 'platform', 'pgtap.platform.1');
SELECT id AS ab1 FROM audit_log WHERE tenant_id = :tb AND action = 'pgtap.b.1' \gset

-- visible_rows(t): for every tenant table (found generically, as in 01) that the current role
-- may SELECT, the number of visible rows whose tenant is not t (with t NULL: all rows); only
-- tables with such rows are returned. SECURITY INVOKER, so it counts with the caller's rights.
CREATE FUNCTION pg_temp.visible_rows(t bigint) RETURNS TABLE (tbl text, n bigint)
    LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT c.oid::regclass AS rel,
               CASE WHEN c.oid = 'public.tenants'::regclass THEN 'id' ELSE 'tenant_id' END AS col
          FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p')
           AND ns.nspname NOT IN ('pg_catalog', 'information_schema') AND ns.nspname NOT LIKE 'pg\_%'
           AND (c.oid = 'public.tenants'::regclass
                OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                              AND a.attname = 'tenant_id' AND a.attnum > 0 AND NOT a.attisdropped))
           AND has_table_privilege(c.oid, 'SELECT')
    LOOP
        tbl := r.rel::text;
        EXECUTE format('SELECT count(*) FROM %s WHERE %I IS DISTINCT FROM $1', r.rel, r.col)
            INTO n USING t;
        IF n > 0 THEN
            RETURN NEXT;
        END IF;
    END LOOP;
END $$;

-- ---------------------------------------------------------------------------------------
-- 1. No tenant ever set in this session: nothing is visible, and nothing errors.
-- ---------------------------------------------------------------------------------------
SET LOCAL ROLE laris_app;

SELECT is(current_setting('laris.tenant_id', true), NULL, 'never set: laris.tenant_id does not exist yet');
SELECT is((SELECT count(*)::int FROM users), 0, 'never set: users shows 0 rows');
SELECT is((SELECT count(*)::int FROM sessions), 0, 'never set: sessions shows 0 rows');
SELECT is((SELECT count(*)::int FROM api_keys), 0, 'never set: api_keys shows 0 rows');
SELECT is((SELECT count(*)::int FROM audit_log), 0, 'never set: audit_log shows 0 rows');
SELECT is((SELECT count(*)::int FROM tenants), 0, 'never set: tenants shows 0 rows');
SELECT is_empty($$ SELECT * FROM pg_temp.visible_rows(NULL) $$,
    'never set: every tenant table readable by laris_app shows 0 rows');

-- ---------------------------------------------------------------------------------------
-- 2. After a transaction that set a tenant, the setting exists but is '' (what a pooled
--    connection looks like for the next request). A subtransaction ending plays that part.
-- ---------------------------------------------------------------------------------------
SAVEPOINT previous_request;
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
ROLLBACK TO SAVEPOINT previous_request;

SELECT is(current_setting('laris.tenant_id', true), '', 'after a transaction: laris.tenant_id is ''''');
SELECT is((SELECT count(*)::int FROM users), 0, 'after a transaction: users shows 0 rows');
SELECT is((SELECT count(*)::int FROM sessions), 0, 'after a transaction: sessions shows 0 rows');
SELECT is((SELECT count(*)::int FROM api_keys), 0, 'after a transaction: api_keys shows 0 rows');
SELECT is((SELECT count(*)::int FROM audit_log), 0, 'after a transaction: audit_log shows 0 rows');
SELECT is((SELECT count(*)::int FROM tenants), 0, 'after a transaction: tenants shows 0 rows');
SELECT is_empty($$ SELECT * FROM pg_temp.visible_rows(NULL) $$,
    'after a transaction: every tenant table readable by laris_app shows 0 rows');

-- ---------------------------------------------------------------------------------------
-- 3. Tenant A: exactly A's rows, no WHERE clause needed; nothing of B or anyone else.
-- ---------------------------------------------------------------------------------------
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null

SELECT is((SELECT count(*)::int FROM users), 2, 'A: SELECT count(*) FROM users counts A''s 2 users');
SELECT is((SELECT count(*)::int FROM sessions), 2, 'A: sessions counts A''s 2 sessions');
SELECT is((SELECT count(*)::int FROM api_keys), 1, 'A: api_keys counts A''s 1 key');
SELECT is((SELECT count(*)::int FROM audit_log), 3, 'A: audit_log counts A''s 3 rows');
SELECT results_eq($$ SELECT id FROM tenants $$, ARRAY[:ta::bigint], 'A: tenants shows only tenant A');

SELECT is((SELECT count(*)::int FROM users WHERE tenant_id = :tb), 0, 'A: 0 of B''s users');
SELECT is((SELECT count(*)::int FROM sessions WHERE tenant_id = :tb), 0, 'A: 0 of B''s sessions');
SELECT is((SELECT count(*)::int FROM api_keys WHERE tenant_id = :tb), 0, 'A: 0 of B''s api keys');
SELECT is((SELECT count(*)::int FROM audit_log WHERE tenant_id = :tb), 0, 'A: 0 of B''s audit rows');
SELECT is((SELECT count(*)::int FROM tenants WHERE id = :tb), 0, 'A: B''s tenant row is invisible');
SELECT is_empty(format('SELECT * FROM pg_temp.visible_rows(%s)', :ta),
    'A: no tenant table shows a row of any other tenant (demo data and platform rows included)');

-- The application's own lookups (by id, by token hash) do not find B's rows: 404, not 403.
SELECT is_empty(format('SELECT id FROM users WHERE id = %s', :ub1), 'A: B''s user by id is not found');
SELECT is_empty(format('SELECT id FROM sessions WHERE token_hash = %L', encode(sha256('p02-b-session-1'), 'hex')),
    'A: B''s session by token hash is not found');
SELECT is_empty(format('SELECT id FROM api_keys WHERE token_hash = %L', encode(sha256('p02-b-key-1'), 'hex')),
    'A: B''s api key by token hash is not found');
SELECT is_empty($$ SELECT id FROM audit_log WHERE actor_kind = 'platform' $$,
    'A: platform audit rows (tenant_id 0) are not visible');

-- ---------------------------------------------------------------------------------------
-- 4. Switch to tenant B in the same transaction: exactly B's rows.
-- ---------------------------------------------------------------------------------------
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null

SELECT is((SELECT count(*)::int FROM users), 3, 'B: users counts B''s 3 users');
SELECT is((SELECT count(*)::int FROM sessions), 1, 'B: sessions counts B''s 1 session');
SELECT is((SELECT count(*)::int FROM api_keys), 2, 'B: api_keys counts B''s 2 keys');
SELECT is((SELECT count(*)::int FROM audit_log), 2, 'B: audit_log counts B''s 2 rows');
SELECT results_eq($$ SELECT id FROM tenants $$, ARRAY[:tb::bigint], 'B: tenants shows only tenant B');
SELECT is_empty(format('SELECT * FROM pg_temp.visible_rows(%s)', :tb),
    'B: no tenant table shows a row of any other tenant');

-- ---------------------------------------------------------------------------------------
-- 5. Writes with tenant A set.
-- ---------------------------------------------------------------------------------------
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null

-- UPDATE of B's rows affects nothing.
WITH u AS (UPDATE users SET name = 'pwned' WHERE tenant_id = :tb RETURNING 1)
SELECT is(count(*)::int, 0, 'A: UPDATE users of tenant B affects 0 rows') FROM u;
WITH u AS (UPDATE users SET role = 'owner', active = false WHERE id = :ub3 RETURNING 1)
SELECT is(count(*)::int, 0, 'A: UPDATE users by B''s user id affects 0 rows') FROM u;
WITH u AS (UPDATE sessions SET ended_at = now() WHERE id = :sb1 RETURNING 1)
SELECT is(count(*)::int, 0, 'A: UPDATE of B''s session affects 0 rows') FROM u;
WITH u AS (UPDATE api_keys SET revoked_at = now() WHERE tenant_id = :tb RETURNING 1)
SELECT is(count(*)::int, 0, 'A: UPDATE of B''s api keys affects 0 rows') FROM u;
SELECT throws_ok($q$UPDATE tenants SET name = 'pwned' WHERE id = $q$ || :tb, '42501', NULL,
    'A: the app role cannot UPDATE tenants at all (B''s row included)');

-- An UPDATE with no WHERE clause touches A's rows only (positive control).
WITH u AS (UPDATE users SET updated_at = now() RETURNING tenant_id)
SELECT is(array_agg(tenant_id), ARRAY[:ta::bigint, :ta::bigint],
          'A: UPDATE users without WHERE updates exactly A''s 2 users') FROM u;

-- Blind writes (no WHERE, no RETURNING) read no column, so only the UPDATE policies filter
-- them, not the SELECT ones. They must still reach A's rows only (checked as superuser in 6).
UPDATE users SET presence = 'away';
UPDATE sessions SET ended_at = now();
UPDATE api_keys SET revoked_at = now();

-- Moving one of A's rows into B is refused by WITH CHECK.
SELECT throws_ok(format('UPDATE users SET tenant_id = %s WHERE id = %s', :tb, :ua2), '42501',
    'new row violates row-level security policy for table "users"',
    'A: moving A''s user into tenant B is refused');
SELECT throws_ok(format('UPDATE api_keys SET tenant_id = %s', :tb), '42501',
    'new row violates row-level security policy for table "api_keys"',
    'A: moving A''s api key into tenant B is refused');

-- INSERT of a row carrying B's tenant_id is refused.
SELECT throws_ok(
    format($q$INSERT INTO users (tenant_id, email, name, role, password_hash)
              VALUES (%s, 'mole@p02-b.pgtap.test', 'Mole', 'owner', 'x')$q$, :tb),
    '42501', 'new row violates row-level security policy for table "users"',
    'A: INSERT into users with B''s tenant_id throws 42501');
SELECT throws_ok(
    format($q$INSERT INTO sessions (tenant_id, user_id, token_hash, expires_at)
              VALUES (%s, %s, encode(sha256('p02-mole'), 'hex'), now() + interval '1 day')$q$, :tb, :ub1),
    '42501', 'new row violates row-level security policy for table "sessions"',
    'A: INSERT into sessions with B''s tenant_id (a session as B''s owner) throws 42501');
SELECT throws_ok(
    format($q$INSERT INTO api_keys (tenant_id, name, role, token_hash, token_hint, created_by)
              VALUES (%s, 'mole', 'owner', encode(sha256('p02-mole'), 'hex'), 'x', %s)$q$, :tb, :ub1),
    '42501', 'new row violates row-level security policy for table "api_keys"',
    'A: INSERT into api_keys with B''s tenant_id throws 42501');
SELECT throws_ok(
    format($q$INSERT INTO audit_log (tenant_id, actor_kind, action) VALUES (%s, 'user', 'forged')$q$, :tb),
    '42501', 'new row violates row-level security policy for table "audit_log"',
    'A: INSERT into audit_log with B''s tenant_id throws 42501');
SELECT throws_ok(
    $q$INSERT INTO audit_log (tenant_id, actor_kind, action) VALUES (0, 'platform', 'forged')$q$,
    '42501', 'new row violates row-level security policy for table "audit_log"',
    'A: INSERT into audit_log as the platform (tenant_id 0) throws 42501');

-- Positive controls: the same inserts for A's own tenant work.
SELECT lives_ok(
    $q$INSERT INTO users (tenant_id, email, name, role, password_hash)
       VALUES (laris_current_tenant(), 'new@p02-a.pgtap.test', 'A New', 'agent', 'x')$q$,
    'A: INSERT into users with A''s tenant_id works');
SELECT lives_ok(
    $q$INSERT INTO audit_log (tenant_id, actor_kind, action)
       VALUES (laris_current_tenant(), 'user', 'pgtap.a.4')$q$,
    'A: INSERT into audit_log with A''s tenant_id works');
SELECT is((SELECT count(*)::int FROM users), 3, 'A: now sees its 3 users');

-- No DELETE on users, ever (users are deactivated), not even A's own.
SELECT throws_ok(format('DELETE FROM users WHERE id = %s', :ub1), '42501',
    'permission denied for table users', 'A: DELETE of B''s user is permission denied');
SELECT throws_ok(format('DELETE FROM users WHERE id = %s', :ua2), '42501',
    'permission denied for table users', 'A: DELETE of A''s own user is permission denied');
SELECT throws_ok('DELETE FROM sessions', '42501',
    'permission denied for table sessions', 'A: DELETE FROM sessions is permission denied');
SELECT throws_ok('DELETE FROM api_keys', '42501',
    'permission denied for table api_keys', 'A: DELETE FROM api_keys is permission denied');
SELECT throws_ok('DELETE FROM tenants', '42501',
    'permission denied for table tenants', 'A: DELETE FROM tenants is permission denied');

-- audit_log is append-only, even for A's own rows.
SELECT throws_ok($q$UPDATE audit_log SET action = 'rewritten'$q$, '42501',
    'permission denied for table audit_log', 'A: UPDATE audit_log is permission denied');
SELECT throws_ok(format('UPDATE audit_log SET detail = %L WHERE id = %s', '{"x":1}', :ab1), '42501',
    'permission denied for table audit_log', 'A: UPDATE of B''s audit row is permission denied');
SELECT throws_ok('DELETE FROM audit_log', '42501',
    'permission denied for table audit_log', 'A: DELETE FROM audit_log is permission denied');
SELECT throws_ok('TRUNCATE audit_log', '42501',
    'permission denied for table audit_log', 'A: TRUNCATE audit_log is permission denied');
SELECT throws_ok('TRUNCATE users', '42501',
    'permission denied for table users', 'A: TRUNCATE users (which would ignore RLS) is permission denied');

-- With no tenant, nothing can be written at all.
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT throws_ok(
    format($q$INSERT INTO users (tenant_id, email, name, role, password_hash)
              VALUES (%s, 'orphan@p02-a.pgtap.test', 'Orphan', 'agent', 'x')$q$, :ta),
    '42501', 'new row violates row-level security policy for table "users"',
    'no tenant: INSERT into users throws 42501');
WITH u AS (UPDATE users SET name = 'pwned' RETURNING 1)
SELECT is(count(*)::int, 0, 'no tenant: UPDATE users without WHERE affects 0 rows') FROM u;

-- ---------------------------------------------------------------------------------------
-- 6. Back as superuser: B's rows are exactly as they were.
-- ---------------------------------------------------------------------------------------
RESET ROLE;

SELECT results_eq(
    format('SELECT id, name, role, active FROM users WHERE tenant_id = %s ORDER BY id', :tb),
    format($q$VALUES (%s::bigint, 'B Owner'::text, 'owner'::text, true),
                     (%s, 'B Supervisor', 'supervisor', true),
                     (%s, 'B Agent', 'agent', true)$q$, :ub1, :ub2, :ub3),
    'superuser: B''s 3 users are unchanged');
SELECT is((SELECT count(*)::int FROM sessions WHERE tenant_id = :tb AND ended_at IS NULL), 1,
          'superuser: B''s session is still live');
SELECT is((SELECT count(*)::int FROM api_keys WHERE tenant_id = :tb AND revoked_at IS NULL), 2,
          'superuser: B''s 2 api keys are not revoked');
SELECT row_eq(format('SELECT name, locale FROM tenants WHERE id = %s', :tb), ROW('pgTAP 02 B'::text, 'id'::text),
    'superuser: B''s tenant row is unchanged');
SELECT results_eq(
    format($q$SELECT tenant_id, presence FROM users WHERE id IN (%s, %s, %s, %s, %s) GROUP BY 1, 2 ORDER BY 1$q$,
           :ua1, :ua2, :ub1, :ub2, :ub3),
    format($q$VALUES (%s::bigint, 'away'::text), (%s, 'offline')$q$, :ta, :tb),
    'superuser: A''s blind UPDATE users reached all of A''s users and none of B''s');
SELECT results_eq(
    format($q$SELECT tenant_id, count(*) FILTER (WHERE ended_at IS NULL)::int FROM sessions
               WHERE tenant_id IN (%s, %s) GROUP BY 1 ORDER BY 1$q$, :ta, :tb),
    format('VALUES (%s::bigint, 0), (%s, 1)', :ta, :tb),
    'superuser: A''s blind UPDATE sessions ended A''s sessions and none of B''s');
SELECT results_eq(
    format('SELECT action, detail FROM audit_log WHERE tenant_id = %s ORDER BY id', :tb),
    $q$VALUES ('pgtap.b.1'::text, '{}'::jsonb), ('pgtap.b.2', '{}')$q$,
    'superuser: B''s audit rows are unchanged and no row was added');
SELECT is((SELECT count(*)::int FROM users WHERE tenant_id = :ta), 3,
          'superuser: A has its 2 fixture users plus the 1 it inserted, none moved to B');

-- ---------------------------------------------------------------------------------------
-- 7. The policies also cover DELETE (for tables where a role may delete): a scratch role
--    with DELETE granted, created inside this transaction, deletes only A's rows.
-- ---------------------------------------------------------------------------------------
CREATE ROLE laris_pgtap_probe NOLOGIN NOSUPERUSER NOBYPASSRLS;
GRANT SELECT, DELETE ON users, sessions, api_keys, audit_log, tenants TO laris_pgtap_probe;
SET LOCAL ROLE laris_pgtap_probe;
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null

WITH d AS (DELETE FROM sessions WHERE tenant_id = :tb RETURNING 1)
SELECT is(count(*)::int, 0, 'probe as A: DELETE of B''s sessions affects 0 rows') FROM d;
WITH d AS (DELETE FROM api_keys WHERE id = :kb1 RETURNING 1)
SELECT is(count(*)::int, 0, 'probe as A: DELETE of B''s api key by id affects 0 rows') FROM d;
WITH d AS (DELETE FROM tenants WHERE id = :tb RETURNING 1)
SELECT is(count(*)::int, 0, 'probe as A: DELETE of B''s tenant row affects 0 rows') FROM d;
WITH d AS (DELETE FROM audit_log RETURNING tenant_id)
SELECT is(array_agg(DISTINCT tenant_id), ARRAY[:ta::bigint],
          'probe as A: DELETE FROM audit_log without WHERE deletes only A''s rows') FROM d;
-- Blind deletes (no WHERE, no RETURNING): only the DELETE policies filter them.
DELETE FROM sessions;
DELETE FROM api_keys;
DELETE FROM audit_log;

RESET ROLE;
SELECT results_eq(
    format($q$SELECT (SELECT count(*)::int FROM sessions  WHERE tenant_id = %1$s),
                     (SELECT count(*)::int FROM api_keys  WHERE tenant_id = %1$s),
                     (SELECT count(*)::int FROM audit_log WHERE tenant_id = %1$s)$q$, :ta),
    $q$VALUES (0, 0, 0)$q$,
    'superuser: the probe''s blind DELETEs removed A''s sessions, api keys and audit rows');
SELECT results_eq(
    format($q$SELECT (SELECT count(*)::int FROM sessions  WHERE tenant_id = %1$s),
                     (SELECT count(*)::int FROM api_keys  WHERE tenant_id = %1$s),
                     (SELECT count(*)::int FROM audit_log WHERE tenant_id = %1$s),
                     (SELECT count(*)::int FROM audit_log WHERE tenant_id = 0 AND action = 'pgtap.platform.1')$q$, :tb),
    $q$VALUES (1, 2, 2, 1)$q$,
    'superuser: B''s sessions, api keys, audit rows and the platform audit row survived the probe''s DELETEs');

-- ---------------------------------------------------------------------------------------
-- 8. A tenant cannot change its own plan, status or reseller: laris_app has no UPDATE on
--    tenants (settings will get column-level grants when a route needs them).
-- ---------------------------------------------------------------------------------------
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT throws_ok($q$UPDATE tenants SET plan_id = (SELECT id FROM plans WHERE code = 'pro')$q$, '42501', NULL,
    'A: a tenant cannot upgrade its own plan');
SELECT throws_ok($q$UPDATE tenants SET status = 'active'$q$, '42501', NULL,
    'A: a tenant cannot change its own status (e.g. lift a suspension)');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
