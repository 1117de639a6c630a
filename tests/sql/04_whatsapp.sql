-- The WhatsApp tables (0002): RLS on each as laris_app, the platform-unique phone_number_id
-- map and its routing functions, status order, pending statuses, one open conversation.
--
-- Fixtures are inserted as the superuser, then the tests switch to laris_app with SET LOCAL
-- ROLE. The phone_number_ids are this file's own (the integration tests use the manifest's).
-- Everything happens in one transaction that is rolled back.

BEGIN;
SELECT plan(37);

-- ---------------------------------------------------------------------------------------
-- Structure
-- ---------------------------------------------------------------------------------------
SELECT ok((SELECT bool_and(c.relrowsecurity AND c.relforcerowsecurity) FROM pg_class c
            WHERE c.oid IN ('wa_numbers'::regclass, 'contacts'::regclass, 'conversations'::regclass,
                            'messages'::regclass, 'wa_pending_statuses'::regclass,
                            'webhook_events'::regclass, 'wa_errors'::regclass,
                            'wa_number_routes'::regclass)),
          'RLS is enabled and forced on every WhatsApp table');
SELECT is((SELECT count(*)::int FROM pg_policy WHERE polname = 'tenant_isolation'
            AND polrelid IN ('wa_numbers'::regclass, 'contacts'::regclass, 'conversations'::regclass,
                             'messages'::regclass, 'wa_pending_statuses'::regclass,
                             'webhook_events'::regclass, 'wa_errors'::regclass)), 7,
          'each WhatsApp tenant table has its tenant_isolation policy');
SELECT is((SELECT count(*)::int FROM pg_policy WHERE polrelid = 'wa_number_routes'::regclass), 0,
          'wa_number_routes has no policy (default deny, like login_emails)');
SELECT table_privs_are('public', 'wa_number_routes', 'laris_app', ARRAY[]::name[],
    'laris_app has no privilege at all on wa_number_routes');
SELECT is(
    (SELECT array_agg(a.attname::text ORDER BY k.n)
       FROM pg_index i
       CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = 'public.wa_number_routes'::regclass AND i.indisprimary),
    ARRAY['phone_number_id'],
    'wa_number_routes is keyed by phone_number_id alone (unique across the platform)');
SELECT table_privs_are('public', 'webhook_events', 'laris_app', ARRAY['SELECT', 'INSERT'],
    'laris_app may only SELECT and INSERT webhook_events (append-only)');
SELECT table_privs_are('public', 'messages', 'laris_app', ARRAY['SELECT', 'INSERT', 'UPDATE'],
    'laris_app may SELECT, INSERT, UPDATE messages (no DELETE)');

-- ---------------------------------------------------------------------------------------
-- Fixtures (as superuser): tenant A with two numbers in WABA 1, tenant B with one in WABA 2
-- ---------------------------------------------------------------------------------------
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 04 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 04 B')
RETURNING id AS tb \gset
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id) VALUES (:ta, '990400000000001', '990400000000901')
RETURNING id AS na1 \gset
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id) VALUES (:ta, '990400000000002', '990400000000901')
RETURNING id AS na2 \gset
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id) VALUES (:tb, '990400000000003', '990400000000902')
RETURNING id AS nb \gset
INSERT INTO contacts (tenant_id, wa_id, phone) VALUES (:ta, '6281234000001', '6281234000001') RETURNING id AS ca \gset
INSERT INTO contacts (tenant_id, wa_id, phone) VALUES (:tb, '6281234000001', '6281234000001') RETURNING id AS cb \gset
INSERT INTO conversations (tenant_id, contact_id, wa_number_id) VALUES (:ta, :ca, :na1) RETURNING id AS va \gset
INSERT INTO conversations (tenant_id, contact_id, wa_number_id) VALUES (:tb, :cb, :nb) RETURNING id AS vb \gset
INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, wamid, type, body)
VALUES (:ta, :va, :ca, 'in', 'wamid.p04.same', 'text', 'A');
INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, wamid, type, body)
VALUES (:tb, :vb, :cb, 'in', 'wamid.p04.same', 'text', 'B');
INSERT INTO webhook_events (tenant_id, field, body_hash, raw)
VALUES (:tb, 'messages', repeat('b', 64), '{}');

SELECT is((SELECT count(*)::int FROM wa_number_routes WHERE tenant_id IN (:ta, :tb)), 3,
          'the trigger put every number in wa_number_routes');
SELECT throws_ok(
    format($$ INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id) VALUES (%s, '990400000000001', '1') $$, :tb),
    '23505', NULL, 'a phone_number_id registered by another tenant is refused (23505)');
SELECT throws_ok(
    format($$ INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id) VALUES (%s, '990400000000001', '1') $$, :ta),
    '23505', NULL, 'and so is the same id twice in one tenant');

-- ---------------------------------------------------------------------------------------
-- Routing as laris_app with no tenant (as laris-api does before it knows the tenant)
-- ---------------------------------------------------------------------------------------
SET LOCAL ROLE laris_app;

SELECT results_eq(
    $$ SELECT tenant_id, wa_number_id FROM wa_number_route('990400000000002') $$,
    format('VALUES (%s::bigint, %s::bigint)', :ta, :na2),
    'wa_number_route() finds the tenant and number of a phone_number_id');
SELECT results_eq(
    $$ SELECT tenant_id, wa_number_id FROM wa_number_route('990400000000003') $$,
    format('VALUES (%s::bigint, %s::bigint)', :tb, :nb),
    'wa_number_route() finds the other tenant''s number too');
SELECT is_empty($$ SELECT * FROM wa_number_route('990400000009999') $$,
    'wa_number_route() returns no row for an unknown number');
SELECT is_empty($$ SELECT * FROM wa_number_route(NULL) $$,
    'wa_number_route(NULL) returns no row');
SELECT results_eq(
    $$ SELECT tenant_id, wa_number_id FROM wa_waba_route('990400000000901') $$,
    format('VALUES (%s::bigint, %s::bigint)', :ta, :na1),
    'wa_waba_route() gives the WABA''s tenant once, with its lowest number');
SELECT is_empty($$ SELECT * FROM wa_waba_route('990400000000999') $$,
    'wa_waba_route() returns no row for an unknown WABA');
SELECT is(laris_current_tenant(), NULL, 'routing sets no tenant');
SELECT throws_ok($$ SELECT count(*) FROM wa_number_routes $$, '42501', NULL,
    'laris_app cannot read wa_number_routes');
SELECT is((SELECT count(*)::int FROM wa_numbers), 0, 'no tenant set: no wa_numbers visible');
SELECT is((SELECT count(*)::int FROM messages), 0, 'no tenant set: no messages visible');

-- ---------------------------------------------------------------------------------------
-- Isolation as laris_app
-- ---------------------------------------------------------------------------------------
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM wa_numbers), 2, 'tenant A sees its two numbers only');
SELECT results_eq($$ SELECT body FROM messages WHERE wamid = 'wamid.p04.same' $$,
    $$ VALUES ('A'::text) $$, 'tenant A sees its own message for a wamid both tenants have');
SELECT is((SELECT count(*)::int FROM contacts), 1, 'tenant A sees its contact only');
SELECT is((SELECT count(*)::int FROM conversations), 1, 'tenant A sees its conversation only');
SELECT is((SELECT count(*)::int FROM webhook_events), 0, 'tenant A sees none of B''s events');
SELECT throws_ok(
    format($$ INSERT INTO contacts (tenant_id, wa_id) VALUES (%s, '6289999999999') $$, :tb),
    '42501', NULL, 'tenant A cannot insert a contact for tenant B');
SELECT is_empty(
    format($$ UPDATE messages SET body = 'x' WHERE tenant_id = %s RETURNING id $$, :tb),
    'tenant A cannot update tenant B''s messages');
SELECT throws_ok($$ DELETE FROM messages $$, '42501', NULL, 'laris_app cannot delete messages');

-- One conversation that is not resolved per contact.
SELECT throws_ok(
    format($$ INSERT INTO conversations (tenant_id, contact_id) VALUES (%s, %s) $$, :ta, :ca),
    '23505', NULL, 'a second open conversation for the same contact is refused');
UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = :va;
SELECT lives_ok(
    format($$ INSERT INTO conversations (tenant_id, contact_id) VALUES (%s, %s) $$, :ta, :ca),
    'once resolved, a new conversation may open');

-- Status order (the same rule as laris_wa_status_advances).
SELECT ok(wa_status_advances(NULL, 'sent') AND wa_status_advances('sent', 'delivered')
          AND wa_status_advances('sent', 'read') AND wa_status_advances('delivered', 'read'),
          'statuses move forward, skipping is fine');
SELECT ok(NOT wa_status_advances('read', 'delivered') AND NOT wa_status_advances('read', 'sent')
          AND NOT wa_status_advances('delivered', 'delivered'),
          'statuses never move backwards or repeat');
SELECT ok(wa_status_advances('delivered', 'failed') AND NOT wa_status_advances('read', 'failed')
          AND NOT wa_status_advances('failed', 'read') AND NOT wa_status_advances('sent', 'bogus'),
          'failed replaces sent/delivered only, is terminal; unknown statuses never apply');

-- A pending status is applied to the message when it is created, and removed.
INSERT INTO wa_pending_statuses (tenant_id, wamid, status, error_code, error_title, at)
VALUES (laris_current_tenant(), 'wamid.p04.out', 'failed', 131049, 'marketing limit', now());
SELECT is((SELECT count(*)::int FROM wa_pending_statuses), 1, 'tenant A sees its pending status');
INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, wamid, type, status)
VALUES (laris_current_tenant(), :va, :ca, 'out', 'wamid.p04.out', 'template', 'accepted');
SELECT results_eq(
    $$ SELECT status, error_code, status_rank FROM messages WHERE wamid = 'wamid.p04.out' $$,
    $$ VALUES ('failed'::text, 131049, 5::smallint) $$,
    'a new message takes the status that waited for it, with its error');
SELECT is((SELECT count(*)::int FROM wa_pending_statuses), 0, 'and the pending row is gone');

SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM messages), 1, 'tenant B sees its one message only');

RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
