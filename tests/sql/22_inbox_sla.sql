-- The inbox list's SLA figures (0025): inbox_conversations carries the conversation's SLA columns
-- and still runs under the caller's RLS (security_invoker restated); inbox_page() rows carry
-- them; another tenant sees none of them.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(7);

SELECT ok((SELECT 'security_invoker=true' = ANY (reloptions) FROM pg_class
            WHERE oid = 'public.inbox_conversations'::regclass),
    'inbox_conversations still runs under the caller''s RLS');
SELECT columns_are('public', 'inbox_conversations', ARRAY[
    'tenant_id', 'id', 'status', 'priority', 'snoozed_until', 'last_message_at', 'opened_at',
    'activity_at', 'assignee_id', 'assignee_name', 'contact_id', 'contact_name', 'profile_name',
    'phone', 'wa_id', 'last_message_id', 'last_direction', 'last_type', 'last_preview',
    'last_status', 'last_at', 'labels', 'first_inbound_at', 'first_response_at', 'sla_due_at',
    'sla_warned_at', 'sla_breached_at', 'first_response_seconds',
    'first_response_business_seconds', 'resolution_seconds', 'resolution_business_seconds'],
    'inbox_conversations ends with the SLA columns of conversations');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 22 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 22 B')
RETURNING id AS tb \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:ta, 'pgtap22a@example.com', 'Agen A', 'agent', 'x') RETURNING id AS ua \gset
INSERT INTO contacts (tenant_id, wa_id, phone, name)
VALUES (:ta, '6281200002222', '6281200002222', 'Bu Sla') RETURNING id AS c1 \gset
INSERT INTO conversations (tenant_id, contact_id, status, last_message_at, first_inbound_at,
                           sla_due_at, sla_warned_at, sla_breached_at, first_response_at,
                           first_response_seconds, first_response_business_seconds,
                           resolution_seconds, resolution_business_seconds)
VALUES (:ta, :c1, 'open', now(), '2026-11-20 02:00Z', '2026-11-20 02:05Z', '2026-11-20 02:04Z',
        '2026-11-20 02:05Z', '2026-11-20 02:07Z', 420, 300, 3600, 1800)
RETURNING id AS v1 \gset

SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT results_eq(
    format('SELECT (conversation).sla_due_at, (conversation).sla_warned_at, '
           '(conversation).sla_breached_at, (conversation).first_inbound_at, '
           '(conversation).first_response_at FROM inbox_page(%s, NULL, %L, NULL, NULL, NULL, '
           'NULL, 10)', :ua, 'any'),
    $$VALUES ('2026-11-20 02:05Z'::timestamptz, '2026-11-20 02:04Z'::timestamptz,
              '2026-11-20 02:05Z'::timestamptz, '2026-11-20 02:00Z'::timestamptz,
              '2026-11-20 02:07Z'::timestamptz)$$,
    'A: inbox_page rows carry the SLA times');
SELECT results_eq(
    format('SELECT (conversation).first_response_seconds, '
           '(conversation).first_response_business_seconds, (conversation).resolution_seconds, '
           '(conversation).resolution_business_seconds FROM inbox_page(%s, NULL, %L, NULL, NULL, '
           'NULL, NULL, 10)', :ua, 'any'),
    $$VALUES (420::bigint, 300::bigint, 3600::bigint, 1800::bigint)$$,
    'A: inbox_page rows carry the response and resolution times');
SELECT is((SELECT sla_breached_at FROM inbox_conversations WHERE id = :v1),
    '2026-11-20 02:05Z'::timestamptz, 'A: the view shows its own SLA');

-- Tenant B sees none of it, through the view or the page.
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM inbox_conversations WHERE id = :v1), 0,
    'B: the view shows no conversation of A');
SELECT is((SELECT count(*)::int FROM inbox_page(:ua, NULL, 'any', NULL, NULL, NULL, NULL, 10)),
    0, 'B: inbox_page shows no conversation of A');

SELECT * FROM finish();
ROLLBACK;
