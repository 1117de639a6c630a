-- The narrow paths that cross tenants: signup_tenant(), auth_find_login(), the trigger that
-- keeps login_emails in step with users, and laris_current_tenant().
--
-- signup_tenant() and auth_find_login() are called as laris_app with no tenant set, as
-- laris-api does. Everything happens in one transaction that is rolled back.

BEGIN;
SELECT plan(39);

-- ---------------------------------------------------------------------------------------
-- Precondition
-- ---------------------------------------------------------------------------------------
-- These functions cross tenants only because their owner bypasses RLS (tenants, users and
-- login_emails are FORCEd, login_emails has no policy). The migration does not grant that;
-- the stack's bootstrap does (ALTER ROLE laris_owner BYPASSRLS). Without it signup_tenant()
-- fails on tenants' WITH CHECK and auth_find_login() finds nobody.
SELECT is_empty(
    $$ SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
        WHERE p.prosecdef AND p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
          AND NOT (r.rolbypassrls OR r.rolsuper) $$,
    'every SECURITY DEFINER function is owned by a role with BYPASSRLS');

SET LOCAL ROLE laris_app;

-- ---------------------------------------------------------------------------------------
-- laris_current_tenant()
-- ---------------------------------------------------------------------------------------
SELECT is(laris_current_tenant(), NULL, 'laris_current_tenant() is NULL when laris.tenant_id was never set');

SAVEPOINT previous_request;
SELECT set_config('laris.tenant_id', '42', true) \g /dev/null
ROLLBACK TO SAVEPOINT previous_request;
SELECT is(laris_current_tenant(), NULL, 'laris_current_tenant() is NULL after a transaction that set it ended');

SELECT set_config('laris.tenant_id', '42', true) \g /dev/null
SELECT is(laris_current_tenant(), 42::bigint, 'laris_current_tenant() returns the id (bigint) when set');
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is(laris_current_tenant(), NULL, 'laris_current_tenant() is NULL when set to ''''');
SELECT throws_ok($$ SELECT set_config('laris.tenant_id', '1 OR true', true), laris_current_tenant() $$,
    '22P02', NULL, 'laris_current_tenant() rejects a value that is not an integer (fails loudly)');

-- ---------------------------------------------------------------------------------------
-- signup_tenant()
-- ---------------------------------------------------------------------------------------
SELECT tenant_id AS sa_t, user_id AS sa_u
  FROM signup_tenant('pgTAP 03 Toko A', 'Asia/Makassar', '6281234567890', 'Andi',
                     'Andi@P03-A.pgtap.test', 'argon2id-hash-a') \gset
SELECT tenant_id AS sb_t, user_id AS sb_u
  FROM signup_tenant('pgTAP 03 Toko B', 'Asia/Jakarta', NULL, 'Budi',
                     'budi@p03-b.pgtap.test', 'argon2id-hash-b') \gset

SELECT ok(:sa_t IS NOT NULL AND :sa_u IS NOT NULL, 'signup_tenant() as laris_app returns a tenant id and a user id');
SELECT isnt(:sb_t::bigint, :sa_t::bigint, 'a second signup creates a different tenant');
SELECT is(laris_current_tenant(), NULL, 'signup_tenant() does not set a tenant for the caller');

-- What the new tenant sees of itself.
SELECT set_config('laris.tenant_id', :'sa_t', true) \g /dev/null
SELECT results_eq(
    $$ SELECT t.name, t.timezone, t.phone, t.status, t.locale, p.code
         FROM tenants t JOIN plans p ON p.id = t.plan_id $$,
    $$ VALUES ('pgTAP 03 Toko A'::text, 'Asia/Makassar'::text, '6281234567890'::text,
               'active'::text, 'id'::text, 'trial'::text) $$,
    'the new tenant (and only it) is visible: name, time zone, phone, active, trial plan');
SELECT results_eq(
    $$ SELECT id, email, name, role, password_hash, active FROM users $$,
    format($q$ VALUES (%s::bigint, 'andi@p03-a.pgtap.test'::text, 'Andi'::text, 'owner'::text,
                       'argon2id-hash-a'::text, true) $q$, :sa_u),
    'the tenant has exactly one user: its owner, email lower-cased');

-- A user added the ordinary way (INSERT under RLS) by tenant B.
SELECT set_config('laris.tenant_id', :'sb_t', true) \g /dev/null
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (laris_current_tenant(), 'sari@p03-b.pgtap.test', 'Sari', 'agent', 'argon2id-hash-s')
RETURNING id AS sb_agent \gset
SELECT set_config('laris.tenant_id', '', true) \g /dev/null

-- Refusals, which change nothing.
SELECT throws_ok(
    $$ SELECT * FROM signup_tenant('pgTAP 03 Dup 1', 'Asia/Jakarta', NULL, 'X', 'andi@p03-a.pgtap.test', 'h') $$,
    '23505', NULL, 'signup_tenant() refuses an email that is taken (23505)');
SELECT throws_ok(
    $$ SELECT * FROM signup_tenant('pgTAP 03 Dup 2', 'Asia/Jakarta', NULL, 'X', 'ANDI@p03-A.PGTAP.TEST', 'h') $$,
    '23505', NULL, 'signup_tenant() refuses a taken email in another case (23505)');
SELECT throws_ok(
    $$ SELECT * FROM signup_tenant('pgTAP 03 Dup 3', 'Asia/Jakarta', NULL, 'X', 'sari@p03-b.pgtap.test', 'h') $$,
    '23505', NULL, 'signup_tenant() refuses the email of a user added by INSERT in another tenant (23505)');
SELECT throws_ok(
    $$ SELECT * FROM signup_tenant('pgTAP 03 TZ 1', 'Mars/Olympus', NULL, 'X', 'tz1@p03.pgtap.test', 'h') $$,
    '22023', 'unknown time zone', 'signup_tenant() refuses an unknown time zone (22023)');
SELECT throws_ok(
    $$ SELECT * FROM signup_tenant('pgTAP 03 TZ 2', '', NULL, 'X', 'tz2@p03.pgtap.test', 'h') $$,
    '22023', 'unknown time zone', 'signup_tenant() refuses an empty time zone (22023)');

-- A login email is unique across tenants even though users is unique per (tenant_id, email).
SELECT set_config('laris.tenant_id', :'sa_t', true) \g /dev/null
SELECT throws_ok(
    $$ INSERT INTO users (tenant_id, email, name, role, password_hash)
       VALUES (laris_current_tenant(), 'sari@p03-b.pgtap.test', 'Copy', 'agent', 'h') $$,
    '23505', NULL, 'tenant A cannot add a user with an email that is a login of tenant B (23505)');
SELECT set_config('laris.tenant_id', '', true) \g /dev/null

RESET ROLE;
SELECT is_empty(
    $$ SELECT id FROM tenants WHERE name LIKE 'pgTAP 03 Dup%' OR name LIKE 'pgTAP 03 TZ%' $$,
    'superuser: refused signups left no tenant behind');
SELECT is_empty(
    $$ SELECT email FROM users WHERE email IN ('tz1@p03.pgtap.test', 'tz2@p03.pgtap.test')
          OR (email = 'sari@p03-b.pgtap.test' AND name = 'Copy') $$,
    'superuser: refused signups and the refused insert left no user behind');
SELECT results_eq(
    format($q$ SELECT email, tenant_id, user_id FROM login_emails
                WHERE tenant_id IN (%s, %s) ORDER BY email $q$, :sa_t, :sb_t),
    format($q$ VALUES ('andi@p03-a.pgtap.test'::text, %s::bigint, %s::bigint),
                      ('budi@p03-b.pgtap.test', %s, %s),
                      ('sari@p03-b.pgtap.test', %s, %s) $q$,
           :sa_t, :sa_u, :sb_t, :sb_u, :sb_t, :sb_agent),
    'superuser: login_emails maps each login to its tenant and user, nothing more');

-- ---------------------------------------------------------------------------------------
-- auth_find_login()
-- ---------------------------------------------------------------------------------------
SET LOCAL ROLE laris_app;

SELECT results_eq(
    $$ SELECT tenant_id, user_id FROM auth_find_login('andi@p03-a.pgtap.test') $$,
    format('VALUES (%s::bigint, %s::bigint)', :sa_t, :sa_u),
    'auth_find_login() finds tenant and user by email (no tenant set)');
SELECT results_eq(
    $$ SELECT tenant_id, user_id FROM auth_find_login('ANDI@P03-A.PGTAP.TEST') $$,
    format('VALUES (%s::bigint, %s::bigint)', :sa_t, :sa_u),
    'auth_find_login() is case-insensitive (upper case)');
SELECT results_eq(
    $$ SELECT tenant_id, user_id FROM auth_find_login('Andi@p03-A.PGTAP.test') $$,
    format('VALUES (%s::bigint, %s::bigint)', :sa_t, :sa_u),
    'auth_find_login() is case-insensitive (mixed case)');
SELECT results_eq(
    $$ SELECT tenant_id, user_id FROM auth_find_login('sari@p03-b.pgtap.test') $$,
    format('VALUES (%s::bigint, %s::bigint)', :sb_t, :sb_agent),
    'auth_find_login() finds a user added by INSERT (trigger kept login_emails in step)');
-- It returns one all-NULL row rather than no row (not SETOF); either way: no tenant, no user.
SELECT is_empty(
    $$ SELECT * FROM auth_find_login('nobody@p03.pgtap.test')
        WHERE tenant_id IS NOT NULL OR user_id IS NOT NULL $$,
    'auth_find_login() finds nothing for an unknown email');
SELECT is_empty(
    $$ SELECT * FROM auth_find_login('') WHERE tenant_id IS NOT NULL OR user_id IS NOT NULL $$,
    'auth_find_login() finds nothing for an empty email');
SELECT is_empty(
    $$ SELECT * FROM auth_find_login('%') WHERE tenant_id IS NOT NULL OR user_id IS NOT NULL $$,
    'auth_find_login() treats its argument literally (no pattern matching)');

-- Changing an email moves the login; the old one no longer resolves.
SELECT set_config('laris.tenant_id', :'sb_t', true) \g /dev/null
UPDATE users SET email = 'sari.new@p03-b.pgtap.test' WHERE id = :sb_agent;
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT results_eq(
    $$ SELECT tenant_id, user_id FROM auth_find_login('sari.new@p03-b.pgtap.test') $$,
    format('VALUES (%s::bigint, %s::bigint)', :sb_t, :sb_agent),
    'after an email change, auth_find_login() finds the new email');
SELECT is_empty(
    $$ SELECT * FROM auth_find_login('sari@p03-b.pgtap.test') WHERE tenant_id IS NOT NULL $$,
    'after an email change, the old email no longer resolves');

-- ---------------------------------------------------------------------------------------
-- Who may call what.
-- ---------------------------------------------------------------------------------------
SELECT throws_ok($$ SELECT users_sync_login_email() $$, '42501',
    'permission denied for function users_sync_login_email',
    'laris_app cannot execute users_sync_login_email() directly');
RESET ROLE;

SELECT function_privs_are('public', 'users_sync_login_email', ARRAY[]::name[], 'laris_app', ARRAY[]::name[],
    'laris_app has no EXECUTE on users_sync_login_email()');
SELECT is(has_function_privilege('public', 'users_sync_login_email()', 'EXECUTE'), false,
    'PUBLIC has no EXECUTE on users_sync_login_email()');
SELECT set_eq(
    $$ SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.prosecdef AND p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
          AND has_function_privilege('laris_app', p.oid, 'EXECUTE') $$,
    ARRAY['auth_find_login(text)', 'signup_tenant(text,text,text,text,text,text)',
          'wa_number_route(text)', 'wa_waba_route(text)',
          'wa_number_webhook(bigint)',
          'inbox_search_contacts(text,text,text,integer)', 'inbox_search_messages(text,integer)'],
    'the only SECURITY DEFINER functions laris_app may execute are auth_find_login, signup_tenant, the WhatsApp routing lookups (04, 11) and the inbox search of the current tenant (09)');
SELECT is_empty(
    $$ SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.prosecdef AND p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
          AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\_path=%') $$,
    'every SECURITY DEFINER function pins its search_path');
SELECT is_empty(
    $$ SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.prosecdef AND p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
          AND pg_has_role('laris_app', p.proowner, 'MEMBER') $$,
    'laris_app owns no SECURITY DEFINER function');

-- ---------------------------------------------------------------------------------------
-- Known problem (see report): the SECURITY DEFINER functions use "SET search_path = public".
-- PostgreSQL then searches the caller's temporary schema FIRST for tables, and laris_app may
-- create temporary tables (TEMP on the database is granted to PUBLIC by default). So
-- laris_app can shadow login_emails, plans or pg_timezone_names with its own temp tables and
-- make these functions read and write those instead. Prevented by
-- search_path = pg_catalog, public, pg_temp (pg_temp last) and REVOKE TEMPORARY from PUBLIC.
-- ---------------------------------------------------------------------------------------
SET LOCAL client_min_messages = warning;  -- quiet DROP ... IF EXISTS notices

SELECT is_empty(
    $$ SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.prosecdef AND p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
          AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c ~ '^search_path=.*pg_temp"?$') $$,
    'every SECURITY DEFINER function lists pg_temp last in its search_path');

SET LOCAL ROLE laris_app;

-- (a) shadow login_emails: tenant A takes B's login email; later renaming it rewrites B's login.
-- (If laris_app may not create temporary tables at all, the shadow cannot exist and these
-- assertions pass as they should.)
DO $$
BEGIN
    CREATE TEMP TABLE login_emails (email text, tenant_id bigint, user_id bigint);
    GRANT ALL ON pg_temp.login_emails TO PUBLIC;
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END $$;
DISCARD PLANS;  -- any role may do this; plans cached earlier in this session are rebuilt
SELECT set_config('laris.tenant_id', :'sa_t', true) \g /dev/null
SELECT throws_ok(
    $$ INSERT INTO users (tenant_id, email, name, role, password_hash)
       VALUES (laris_current_tenant(), 'budi@p03-b.pgtap.test', 'Shadow', 'agent', 'h') $$,
    '23505', NULL, 'a temp table named login_emails cannot make A''s user take B''s login email');
DROP TABLE IF EXISTS pg_temp.login_emails;
UPDATE users SET email = 'stolen@p03-a.pgtap.test' WHERE email = 'budi@p03-b.pgtap.test';
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT results_eq(
    $$ SELECT tenant_id, user_id FROM auth_find_login('budi@p03-b.pgtap.test') $$,
    format('VALUES (%s::bigint, %s::bigint)', :sb_t, :sb_u),
    'B''s login still resolves to B after tenant A renames its own user');

-- (b) shadow plans and pg_timezone_names: a signup with a bogus time zone (and, unchecked
--     here, on the pro plan instead of trial).
DO $$
BEGIN
    CREATE TEMP TABLE plans (id bigint, code text);
    CREATE TEMP TABLE pg_timezone_names (name text);
    INSERT INTO pg_temp.plans SELECT id, 'trial' FROM public.plans WHERE code = 'pro';
    INSERT INTO pg_temp.pg_timezone_names VALUES ('Mars/Olympus');
    GRANT ALL ON pg_temp.plans, pg_temp.pg_timezone_names TO PUBLIC;
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END $$;
DISCARD PLANS;
SELECT throws_ok(
    $$ SELECT * FROM signup_tenant('pgTAP 03 Shadow', 'Mars/Olympus', NULL, 'X', 'shadow@p03.pgtap.test', 'h') $$,
    '22023', 'unknown time zone',
    'temp tables cannot make signup_tenant() accept an unknown time zone');
DROP TABLE IF EXISTS pg_temp.plans;
DROP TABLE IF EXISTS pg_temp.pg_timezone_names;

RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
