-- Structure of tenant isolation: which tables are tenant tables, that RLS is enabled and
-- forced on each, that each has a tenant-scoped policy and nothing widens it, that keys lead
-- with tenant_id, and that the application role cannot step around any of it.
--
-- Run as the superuser: pg_prove -d postgresql://postgres@HOST:PORT/laris tests/sql/*.sql
-- Everything happens in one transaction that is rolled back.

BEGIN;
SELECT plan(26);

-- A tenant table is any ordinary or partitioned table, in any non-system schema, with a
-- tenant_id column; plus tenants itself (keyed by id) and login_emails (the platform login map).
-- Written generically so tables added by later migrations are checked without editing this file.
CREATE TEMP VIEW tenant_tables AS
SELECT c.oid,
       c.oid::regclass::text AS tbl,
       c.relrowsecurity,
       c.relforcerowsecurity,
       c.relowner,
       CASE WHEN c.oid = 'public.tenants'::regclass THEN 'id' ELSE 'tenant_id' END AS tenant_col
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
   AND (c.oid IN ('public.tenants'::regclass, 'public.login_emails'::regclass)
        OR EXISTS (SELECT 1 FROM pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                      AND a.attnum > 0 AND NOT a.attisdropped));

-- Tables with a tenant_id column only (keys and foreign keys must lead with it).
CREATE TEMP VIEW tenant_id_tables AS
SELECT * FROM pg_temp.tenant_tables WHERE tenant_col = 'tenant_id';

-- 1. The generic query finds the tables we know about (so the checks below are not vacuous).
SELECT set_has(
    $$ SELECT tbl FROM pg_temp.tenant_tables $$,
    $$ VALUES ('tenants'), ('users'), ('sessions'), ('api_keys'), ('audit_log'), ('login_emails') $$,
    'the tenant tables include tenants, users, sessions, api_keys, audit_log, login_emails');

-- 2-3. RLS enabled and forced on every tenant table.
SELECT is_empty(
    $$ SELECT tbl FROM pg_temp.tenant_tables WHERE NOT relrowsecurity $$,
    'row level security is enabled on every tenant table');
SELECT is_empty(
    $$ SELECT tbl FROM pg_temp.tenant_tables WHERE NOT relforcerowsecurity $$,
    'row level security is forced on every tenant table');

-- 4. Every tenant table except the platform maps (login_emails, wa_number_routes; see 04) has a permissive policy for all commands that
--    applies to laris_app and whose USING and WITH CHECK are exactly
--    "<tenant column> = laris_current_tenant()".
SELECT is_empty(
    $$ SELECT t.tbl FROM pg_temp.tenant_tables t
        WHERE t.tbl NOT IN ('login_emails', 'wa_number_routes')
          AND NOT EXISTS (
              SELECT 1 FROM pg_policy p
               WHERE p.polrelid = t.oid
                 AND p.polcmd = '*'
                 AND p.polpermissive
                 AND (p.polroles = '{0}' OR 'laris_app'::regrole = ANY (p.polroles))
                 AND pg_get_expr(p.polqual, p.polrelid) ~
                     ('^\(' || t.tenant_col || ' = (\( SELECT laris_current_tenant\(\) AS laris_current_tenant\)|laris_current_tenant\(\))\)$')
                 AND pg_get_expr(p.polwithcheck, p.polrelid) ~
                     ('^\(' || t.tenant_col || ' = (\( SELECT laris_current_tenant\(\) AS laris_current_tenant\)|laris_current_tenant\(\))\)$')) $$,
    'every tenant table has a tenant_isolation policy for all commands scoped to laris_current_tenant()');

-- 5. Permissive policies are OR-ed together: one that is not tenant-scoped (USING (true),
--    "... OR ...") would open the table. Every permissive policy must be tenant-scoped.
SELECT is_empty(
    $$ SELECT t.tbl, p.polname FROM pg_temp.tenant_tables t JOIN pg_policy p ON p.polrelid = t.oid
        WHERE p.polpermissive
          AND ((p.polqual IS NOT NULL AND pg_get_expr(p.polqual, p.polrelid) !~
                 ('^\(' || t.tenant_col || ' = (\( SELECT laris_current_tenant\(\) AS laris_current_tenant\)|laris_current_tenant\(\))\)$'))
            OR (p.polwithcheck IS NOT NULL AND pg_get_expr(p.polwithcheck, p.polrelid) !~
                 ('^\(' || t.tenant_col || ' = (\( SELECT laris_current_tenant\(\) AS laris_current_tenant\)|laris_current_tenant\(\))\)$'))) $$,
    'no permissive policy on a tenant table widens access beyond the current tenant');

-- 6. login_emails: no policy at all (RLS on + no policy = nobody without BYPASSRLS sees a row).
SELECT is(
    (SELECT count(*)::int FROM pg_policy WHERE polrelid = 'public.login_emails'::regclass), 0,
    'login_emails has no policy (default deny)');

-- 7-10. The application role.
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'laris_app'), false,
          'laris_app is not a superuser');
SELECT is((SELECT rolbypassrls FROM pg_roles WHERE rolname = 'laris_app'), false,
          'laris_app does not have BYPASSRLS');
SELECT is_empty(
    $$ SELECT rolname FROM pg_roles r
        WHERE (r.rolsuper OR r.rolbypassrls) AND pg_has_role('laris_app', r.oid, 'MEMBER') $$,
    'laris_app is not a member of any superuser or BYPASSRLS role');
SELECT is_empty(
    $$ SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
          AND pg_has_role('laris_app', c.relowner, 'MEMBER') $$,
    'laris_app owns no relation (an owner could disable RLS)');

-- 11. Primary keys, unique indexes and exclusion constraints of tables with tenant_id lead with
--     tenant_id (the platform maps are the exceptions: login_emails, see 13; wa_number_routes,
--     see 04_whatsapp.sql).
SELECT is_empty(
    $$ SELECT i.indexrelid::regclass::text
         FROM pg_index i
         JOIN pg_temp.tenant_id_tables t ON t.oid = i.indrelid
         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE (i.indisprimary OR i.indisunique OR i.indisexclusion)
          AND t.tbl NOT IN ('login_emails', 'wa_number_routes')
          AND a.attname IS DISTINCT FROM 'tenant_id' $$,
    'every primary key and unique index of a tenant table leads with tenant_id');

-- 12. Foreign keys of tables with tenant_id lead with tenant_id.
SELECT is_empty(
    $$ SELECT con.conname::text
         FROM pg_constraint con
         JOIN pg_temp.tenant_id_tables t ON t.oid = con.conrelid
         LEFT JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
        WHERE con.contype = 'f' AND a.attname IS DISTINCT FROM 'tenant_id' $$,
    'every foreign key of a tenant table leads with tenant_id');

-- 13. login_emails is keyed by email alone (a login is unique across the platform).
SELECT is(
    (SELECT array_agg(a.attname::text ORDER BY k.n)
       FROM pg_index i
       CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = 'public.login_emails'::regclass AND i.indisprimary),
    ARRAY['email'],
    'login_emails (the exception) has primary key (email)');

-- 14-17. Privileges of laris_app.
-- TRUNCATE ignores RLS; TRIGGER would let the role attach code to every tenant's writes.
SELECT is_empty(
    $$ SELECT t.tbl, p.priv FROM pg_temp.tenant_tables t
        CROSS JOIN (VALUES ('TRUNCATE'), ('TRIGGER')) AS p(priv)
        WHERE has_table_privilege('laris_app', t.oid, p.priv) $$,
    'laris_app has no TRUNCATE or TRIGGER privilege on any tenant table');
SELECT table_privs_are('public', 'login_emails', 'laris_app', ARRAY[]::name[],
    'laris_app has no privilege at all on login_emails');
SELECT table_privs_are('public', 'users', 'laris_app', ARRAY['SELECT', 'INSERT', 'UPDATE'],
    'laris_app may SELECT, INSERT, UPDATE users (no DELETE: users are deactivated)');
SELECT table_privs_are('public', 'audit_log', 'laris_app', ARRAY['SELECT', 'INSERT'],
    'laris_app may only SELECT and INSERT audit_log (append-only)');

-- 18. No views or materialized views that would read tenant tables with their owner's rights.
SELECT is_empty(
    $$ SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                         AND a.attname = 'tenant_id' AND NOT a.attisdropped)
          AND ((c.relkind = 'v' AND NOT coalesce(c.reloptions::text[] && ARRAY['security_invoker=true', 'security_invoker=on', 'security_invoker=1'], false))
            OR (c.relkind = 'm' AND has_table_privilege('laris_app', c.oid, 'SELECT'))) $$,
    'no view exposes tenant rows without security_invoker, no materialized view is readable by laris_app');

-- 19. laris_app may use the schema but not create objects in it.
SELECT schema_privs_are('public', 'laris_app', ARRAY['USAGE'],
    'laris_app has USAGE but not CREATE on schema public');

-- Fixture: one tenant with one user, so login_emails has a row for it.
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 01 A')
RETURNING id AS ta \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:ta, 'owner@p01-a.pgtap.test', 'Owner A', 'owner', 'x')
RETURNING id AS ua \gset

SELECT is((SELECT count(*)::int FROM login_emails WHERE tenant_id = :ta AND user_id = :ua), 1,
          'fixture: the superuser sees the login_emails row of the fixture user');

-- 21-24. As laris_app, login_emails cannot be read at all, with or without a tenant.
SET LOCAL ROLE laris_app;

SELECT throws_ok($$ SELECT count(*) FROM login_emails $$, '42501',
    'permission denied for table login_emails',
    'laris_app cannot read login_emails (no tenant set)');
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT throws_ok($$ SELECT email FROM login_emails WHERE email = 'owner@p01-a.pgtap.test' $$, '42501',
    'permission denied for table login_emails',
    'laris_app cannot read login_emails (even its own tenant''s row)');
SELECT throws_ok(
    format('INSERT INTO login_emails (email, tenant_id, user_id) VALUES (%L, %s, %s)',
           'intruder@p01-a.pgtap.test', :ta, :ua), '42501',
    'permission denied for table login_emails',
    'laris_app cannot write login_emails');
SELECT throws_ok($$ DELETE FROM login_emails $$, '42501',
    'permission denied for table login_emails',
    'laris_app cannot delete from login_emails');

-- 25-26. Nor can it switch off RLS.
SELECT throws_ok($$ ALTER TABLE users NO FORCE ROW LEVEL SECURITY $$, '42501',
    'must be owner of table users',
    'laris_app cannot alter RLS on users');
SELECT throws_ok($$ SET LOCAL row_security = off; SELECT count(*) FROM users $$, '42501',
    'query would be affected by row-level security policy for table "users"',
    'with row_security off, laris_app gets an error, not unfiltered rows');

RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
