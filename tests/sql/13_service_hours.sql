-- Business hours, auto-replies and SLA (0012): auto_replies, autoreply_queue, autoreply_log and
-- sla_events are tenant tables under RLS (another tenant and no tenant see zero rows);
-- laris_worker has no table privilege and works only through the autoreply_* / sla_* functions:
-- a customer message is queued by a trigger, an automatic reply goes once per period and never
-- to an opted-out contact, automatic replies do not count as the first response, and the sweep
-- records a warning, then a breach, escalating when the tenant asks.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(35);

SELECT table_privs_are('public', 'auto_replies', 'laris_app',
    ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE'], 'laris_app manages keyword rules');
SELECT table_privs_are('public', 'autoreply_queue', 'laris_app', ARRAY[]::name[],
    'laris_app has no privilege on the queue (the trigger fills it)');
SELECT table_privs_are('public', 'autoreply_log', 'laris_app', ARRAY['SELECT'],
    'laris_app may only read what was sent automatically');
SELECT table_privs_are('public', 'sla_events', 'laris_app', ARRAY['SELECT'],
    'laris_app may only read SLA events');
SELECT table_privs_are('public', 'auto_replies', 'laris_worker', ARRAY[]::name[],
    'laris_worker has no privilege on auto_replies');
SELECT function_privs_are('public', 'autoreply_send', ARRAY['bigint', 'bigint', 'text', 'text', 'text'],
    'laris_app', ARRAY[]::text[], 'laris_app cannot send automatic replies');
SELECT function_privs_are('public', 'sla_sweep', ARRAY[]::text[], 'laris_worker',
    ARRAY['EXECUTE'], 'laris_worker may run the SLA sweep');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 13 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 13 B')
RETURNING id AS tb \gset
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id) VALUES (:ta, '130000000013', '130000000013')
RETURNING id AS n1 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash, presence)
VALUES (:ta, 'pgtap13-s@example.com', 'S', 'supervisor', 'x', 'online') RETURNING id AS s1 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash, presence)
VALUES (:ta, 'pgtap13-a@example.com', 'A', 'agent', 'x', 'online') RETURNING id AS a1 \gset
INSERT INTO contacts (tenant_id, wa_id) VALUES (:ta, '6281300001301') RETURNING id AS k1 \gset
INSERT INTO contacts (tenant_id, wa_id, marketing_opt_out_at) VALUES (:ta, '6281300001302', now())
RETURNING id AS k2 \gset
INSERT INTO conversations (tenant_id, contact_id, wa_number_id, assignee_id, assigned_at)
VALUES (:ta, :k1, :n1, :a1, now()) RETURNING id AS c1 \gset
INSERT INTO conversations (tenant_id, contact_id, wa_number_id) VALUES (:ta, :k2, :n1)
RETURNING id AS c2 \gset
INSERT INTO tenant_settings (tenant_id, greeting_enabled, greeting_text, sla_auto_escalate,
                             sla_warning_seconds)
VALUES (:ta, true, 'Halo! Kami segera membalas.', true, 60);
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, type, body)
VALUES (:ta, :c1, :k1, :n1, 'in', 'text', 'Halo kak') RETURNING id AS m1 \gset
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, type, body)
VALUES (:ta, :c2, :k2, :n1, 'in', 'text', 'Halo') RETURNING id AS m2 \gset

SELECT is((SELECT count(*)::int FROM autoreply_queue WHERE tenant_id = :ta), 2,
    'each customer message is queued by the trigger');
SELECT isnt((SELECT first_inbound_at FROM conversations WHERE id = :c1), NULL,
    'the first customer message sets first_inbound_at');

-- The worker, with no tenant set.
SET LOCAL ROLE laris_worker;
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT throws_ok($$ SELECT * FROM autoreply_queue $$, '42501', NULL,
    'laris_worker cannot read the queue directly');
SELECT count(*) AS claimed_n, bool_or(message_id = :m1 AND first_message) AS claimed_first,
       bool_or(message_id = :m2 AND opted_out) AS claimed_opted
  FROM autoreply_claim(100) WHERE tenant_id = :ta \gset
SELECT is(:claimed_n::int, 2, 'autoreply_claim takes both messages');
SELECT is(:'claimed_first'::boolean, true, 'the chat''s first customer message is marked so');
SELECT is(:'claimed_opted'::boolean, true, 'an opted-out contact is marked so');
SELECT is((SELECT count(*)::int FROM autoreply_claim(100) WHERE tenant_id = :ta), 0,
    'a claimed message is not claimed again');
SELECT isnt(autoreply_send(:ta, :c1, 'greeting', '', ''), NULL, 'the greeting is sent');
SELECT is(autoreply_send(:ta, :c1, 'greeting', '', ''), NULL, 'the greeting goes once per chat');
SELECT is(autoreply_send(:ta, :c2, 'greeting', '', ''), NULL,
    'an opted-out contact gets no automatic reply');
SELECT is(autoreply_send(:ta, :c1, 'away', '', 'closed:1'), NULL,
    'no away message when the away text is off');
SELECT sla_set_due(:ta, :c1, now() + interval '30 seconds');
SELECT sla_set_due(:ta, :c1, now() + interval '1 hour');
RESET ROLE;

SELECT results_eq(format($$ SELECT direction, auto_kind, status, body FROM messages
                             WHERE conversation_id = %s ORDER BY id $$, :c1),
    $$ VALUES ('in'::text, NULL::text, NULL::text, 'Halo kak'::text),
              ('out', 'greeting', 'queued', 'Halo! Kami segera membalas.') $$,
    'the greeting is an outbound message marked automatic, queued');
SELECT is((SELECT count(*)::int FROM outbox WHERE tenant_id = :ta), 1,
    'the greeting has its outbox row (and nothing else was queued)');
SELECT is((SELECT count(*)::int FROM messages WHERE conversation_id = :c2 AND direction = 'out'), 0,
    'nothing stored for the opted-out contact');
SELECT is((SELECT first_response_at FROM conversations WHERE id = :c1), NULL,
    'an automatic reply is not the first response');
SELECT ok((SELECT sla_due_at < now() + interval '1 minute' FROM conversations WHERE id = :c1),
    'the first due time set stays');

-- Warning, then breach with escalation to the online supervisor.
SET LOCAL ROLE laris_worker;
SELECT is(sla_sweep() >= 1, true, 'the sweep records a warning within the lead time');
RESET ROLE;
SELECT isnt((SELECT sla_warned_at FROM conversations WHERE id = :c1), NULL, 'the warning is recorded');
UPDATE conversations SET sla_due_at = now() - interval '1 second' WHERE id = :c1;
SET LOCAL ROLE laris_worker;
SELECT is(sla_sweep() >= 1, true, 'the sweep records the breach');
RESET ROLE;
SELECT results_eq(format($$ SELECT assignee_id, escalated_at IS NOT NULL, sla_breached_at IS NOT NULL
                             FROM conversations WHERE id = %s $$, :c1),
    format($$ VALUES (%s::bigint, true, true) $$, :s1),
    'the breach escalates to the online supervisor');
SELECT results_eq(format($$ SELECT kind, assignee_id, escalated_to FROM sla_events
                             WHERE conversation_id = %s ORDER BY id $$, :c1),
    format($$ VALUES ('warning'::text, %s::bigint, NULL::bigint), ('breach', %s, %s) $$, :a1, :a1, :s1),
    'one warning and one breach event, naming who was to answer');
SET LOCAL ROLE laris_worker;
SELECT sla_sweep();
RESET ROLE;
SELECT is((SELECT count(*)::int FROM sla_events WHERE conversation_id = :c1), 2,
    'a breach is recorded once');

-- A chat resolved without an answer is never breached.
INSERT INTO conversations (tenant_id, contact_id, wa_number_id, status, resolved_at, first_inbound_at,
                           sla_due_at)
VALUES (:ta, :k1, :n1, 'resolved', now(), now() - interval '1 hour', now() - interval '30 minutes')
RETURNING id AS c3 \gset
SET LOCAL ROLE laris_worker;
SELECT sla_sweep();
RESET ROLE;
SELECT is((SELECT sla_breached_at FROM conversations WHERE id = :c3), NULL,
    'a resolved chat is not breached');

-- A person's reply is the first response.
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, type, body,
                      status, sent_by)
VALUES (:ta, :c1, :k1, :n1, 'out', 'text', 'Siap kak', 'queued', :s1);
SELECT isnt((SELECT first_response_seconds FROM conversations WHERE id = :c1), NULL,
    'a person''s reply sets the first response time');

-- Tenant B and no tenant see nothing of A.
INSERT INTO auto_replies (tenant_id, keywords, keywords_norm, match, reply_text)
VALUES (:ta, '{Harga}', '{harga}', 'contains', 'Harga mulai 10rb');
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM auto_replies), 0, 'RLS: tenant B sees no rule of A');
SELECT is((SELECT count(*)::int FROM autoreply_log) + (SELECT count(*)::int FROM sla_events), 0,
    'RLS: tenant B sees no automatic reply or SLA event of A');
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM auto_replies) + (SELECT count(*)::int FROM autoreply_log)
          + (SELECT count(*)::int FROM sla_events), 0, 'RLS: no tenant, no rows');
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM auto_replies), 1, 'tenant A sees its own rule');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
