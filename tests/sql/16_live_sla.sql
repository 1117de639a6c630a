-- Live SLA warnings (0016): sla_sweep() publishes each warning and breach it records through
-- live_emit in the same transaction: on the tenant channel and on the agent channels of the
-- chat's assignee, the tenant's supervisors and its owner (not on another agent's, not on
-- another tenant's), with {conversation_id, due_at, level}; the sla_events row is marked
-- published; a sweep rolled back publishes nothing. The events stay tenant rows under RLS:
-- another tenant and no tenant see none.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(15);

SELECT function_privs_are('public', 'sla_audience', ARRAY['bigint', 'bigint', 'bigint'],
    'laris_app', ARRAY[]::text[], 'laris_app cannot call sla_audience');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 16 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 16 B')
RETURNING id AS tb \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:ta, 'pgtap16-o@example.com', 'O', 'owner', 'x') RETURNING id AS o1 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:ta, 'pgtap16-s@example.com', 'S', 'supervisor', 'x') RETURNING id AS s1 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash, active)
VALUES (:ta, 'pgtap16-s2@example.com', 'S2', 'supervisor', 'x', false) RETURNING id AS s2 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:ta, 'pgtap16-a@example.com', 'A', 'agent', 'x') RETURNING id AS a1 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:ta, 'pgtap16-a2@example.com', 'A2', 'agent', 'x') RETURNING id AS a2 \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:tb, 'pgtap16-b@example.com', 'B', 'owner', 'x') RETURNING id AS b1 \gset
INSERT INTO contacts (tenant_id, wa_id) VALUES (:ta, '6281600001601') RETURNING id AS k1 \gset
INSERT INTO conversations (tenant_id, contact_id, assignee_id, assigned_at, first_inbound_at,
                           sla_due_at)
VALUES (:ta, :k1, :a1, now(), now(), now() + interval '30 seconds') RETURNING id AS c1 \gset
INSERT INTO tenant_settings (tenant_id, sla_warning_seconds) VALUES (:ta, 60);

-- A sweep rolled back publishes nothing.
SAVEPOINT before_rollback;
SET LOCAL ROLE laris_worker;
SELECT sla_sweep() \g /dev/null
RESET ROLE;
ROLLBACK TO SAVEPOINT before_rollback;
SELECT is((SELECT count(*)::int FROM live_events WHERE tenant_id = :ta), 0,
    'a sweep rolled back leaves no event');

-- The warning.
SET LOCAL ROLE laris_worker;
SELECT sla_sweep() \g /dev/null
RESET ROLE;
SELECT is((SELECT array_agg(channel ORDER BY channel) FROM live_events WHERE tenant_id = :ta),
    (SELECT array_agg(x ORDER BY x) FROM unnest(ARRAY['tenant/' || :ta, 'agent/' || :a1,
                                                      'agent/' || :s1, 'agent/' || :o1]) x),
    'the warning goes to the tenant channel, the assignee, the active supervisor and the owner');
SELECT is((SELECT count(DISTINCT payload - 'at')::int FROM live_events WHERE tenant_id = :ta), 1,
    'one event, the same on every channel');
SELECT is((SELECT payload->>'kind' FROM live_events WHERE tenant_id = :ta LIMIT 1), 'sla.warning',
    'kind sla.warning');
SELECT is((SELECT payload->>'level' FROM live_events WHERE tenant_id = :ta LIMIT 1), 'warning',
    'level warning');
SELECT is((SELECT (payload->>'conversation_id')::bigint FROM live_events WHERE tenant_id = :ta LIMIT 1),
    :c1::bigint, 'names the chat');
SELECT is((SELECT (payload->>'due_at')::timestamptz FROM live_events WHERE tenant_id = :ta LIMIT 1),
    (SELECT sla_due_at FROM conversations WHERE id = :c1), 'and its due time');
SELECT isnt((SELECT published_at FROM sla_events WHERE conversation_id = :c1 AND kind = 'warning'),
    NULL, 'the sla_events row is marked published');

-- Swept again: nothing new. Then the breach.
SET LOCAL ROLE laris_worker;
SELECT sla_sweep() \g /dev/null
RESET ROLE;
SELECT is((SELECT count(*)::int FROM live_events WHERE tenant_id = :ta), 4,
    'a warning is published once');
UPDATE conversations SET sla_due_at = now() - interval '1 second' WHERE id = :c1;
SET LOCAL ROLE laris_worker;
SELECT sla_sweep() \g /dev/null
RESET ROLE;
SELECT is((SELECT array_agg(channel ORDER BY channel) FROM live_events
            WHERE tenant_id = :ta AND payload->>'level' = 'breached'),
    (SELECT array_agg(x ORDER BY x) FROM unnest(ARRAY['tenant/' || :ta, 'agent/' || :a1,
                                                      'agent/' || :s1, 'agent/' || :o1]) x),
    'the breach goes to the same people, level breached');
SELECT isnt((SELECT published_at FROM sla_events WHERE conversation_id = :c1 AND kind = 'breach'),
    NULL, 'the breach row is marked published');

-- Isolation of the rows themselves: with SELECT granted for this test only.
GRANT SELECT ON live_events TO laris_app;
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM live_events) + (SELECT count(*)::int FROM sla_events), 0,
    'another tenant sees no SLA event, published or recorded');
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM live_events) + (SELECT count(*)::int FROM sla_events), 0,
    'no tenant set: no rows');
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM live_events), 8, 'the tenant sees its own events');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
