-- Live events (0013): live_events and live_channels are tenant tables under RLS (another tenant
-- and no tenant see zero rows); laris_app may only add events for its own tenant (through
-- live_emit, which ignores users of other tenants) and never read them; laris_worker reaches
-- them only through live_take, which hands out each channel's events in order numbered 1, 2,
-- 3... and removes them. Triggers publish in the change's own transaction: a change rolled back
-- leaves no event.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(27);

SELECT table_privs_are('public', 'live_events', 'laris_app', ARRAY['INSERT'],
    'laris_app may add events, not read, change or delete them');
SELECT table_privs_are('public', 'live_channels', 'laris_app', ARRAY[]::name[],
    'laris_app has no privilege on live_channels');
SELECT table_privs_are('public', 'live_events', 'laris_worker', ARRAY[]::name[],
    'laris_worker has no privilege on live_events');
SELECT function_privs_are('public', 'live_take', ARRAY['integer'], 'laris_app', ARRAY[]::text[],
    'laris_app cannot take events');
SELECT function_privs_are('public', 'live_take', ARRAY['integer'], 'laris_worker',
    ARRAY['EXECUTE'], 'laris_worker may take events');
SELECT function_privs_are('public', 'live_emit', ARRAY['bigint', 'bigint[]', 'text', 'jsonb'],
    'laris_worker', ARRAY[]::text[], 'laris_worker cannot publish by itself');
SELECT is((SELECT prosecdef FROM pg_proc WHERE proname = 'live_emit'), false,
    'live_emit runs as its caller (RLS applies to laris_app)');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 14 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 14 B')
RETURNING id AS tb \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:ta, 'pgtap14-a@example.com', 'A', 'agent', 'x') RETURNING id AS ua \gset
INSERT INTO users (tenant_id, email, name, role, password_hash)
VALUES (:tb, 'pgtap14-b@example.com', 'B', 'agent', 'x') RETURNING id AS ub \gset
INSERT INTO contacts (tenant_id, wa_id) VALUES (:ta, '6281200001401') RETURNING id AS k1 \gset
INSERT INTO conversations (tenant_id, contact_id) VALUES (:ta, :k1) RETURNING id AS c1 \gset
DELETE FROM live_events;

-- laris_app as tenant A.
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT lives_ok(format($$ SELECT live_emit(%s, ARRAY[%s, %s]::bigint[], 'typing',
                                           '{"conversation_id": 1}') $$, :ta, :ua, :ub),
    'laris_app publishes for its tenant');
SELECT throws_ok(format($$ SELECT live_emit(%s, NULL, 'typing', '{}') $$, :tb),
    '42501', NULL, 'laris_app cannot publish for another tenant');
SELECT throws_ok(format($$ SELECT live_emit(%s, NULL, 'Bad Kind!', '{}') $$, :ta),
    '22023', NULL, 'an event kind is lower-case words with dots');
SELECT throws_ok('SELECT count(*) FROM live_events', '42501', NULL,
    'laris_app cannot read events');
SELECT throws_ok('SELECT * FROM live_take(10)', '42501', NULL, 'laris_app cannot take events');
RESET ROLE;

SELECT is((SELECT array_agg(channel ORDER BY id) FROM live_events),
    ARRAY['tenant/' || :ta, 'agent/' || :ua],
    'the tenant channel and the agent channel of the tenant''s own user; the other tenant''s user is ignored');

-- Isolation of the rows themselves: with SELECT granted for this test only.
GRANT SELECT ON live_events, live_channels TO laris_app;
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*) FROM live_events), 0::bigint, 'another tenant sees no events');
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is((SELECT count(*) FROM live_events), 0::bigint, 'no tenant set: no events');
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT is((SELECT count(*) FROM live_events), 2::bigint, 'the tenant sees its own events');
RESET ROLE;

-- Triggers: a message in, its status, an assignment; a rolled-back change leaves nothing.
INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, wamid, type, status)
VALUES (:ta, :c1, :k1, 'out', 'wamid.pgtap14', 'text', 'queued') RETURNING id AS m1 \gset
UPDATE messages SET status = 'sending' WHERE tenant_id = :ta AND id = :m1;
UPDATE messages SET status = 'accepted' WHERE tenant_id = :ta AND id = :m1;
UPDATE messages SET status = 'delivered' WHERE tenant_id = :ta AND id = :m1;
UPDATE messages SET body = 'no status change' WHERE tenant_id = :ta AND id = :m1;
INSERT INTO conversation_assignments (tenant_id, conversation_id, to_user_id, reason, by_user_id)
VALUES (:ta, :c1, :ua, 'claim', :ua);
SAVEPOINT before_rollback;
INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, wamid, type)
VALUES (:ta, :c1, :k1, 'in', 'wamid.pgtap14.rolledback', 'text');
ROLLBACK TO SAVEPOINT before_rollback;

SELECT is((SELECT array_agg(payload ->> 'kind' ORDER BY id) FROM live_events
            WHERE channel = 'tenant/' || :ta),
    ARRAY['typing', 'message.new', 'message.status', 'conversation.assigned'],
    'new message, one status a person sees (not sending nor accepted), one assignment; nothing for the rolled-back message');
SELECT is((SELECT payload ->> 'status' FROM live_events WHERE payload ->> 'kind' = 'message.status'),
    'delivered', 'the status event carries the new status');
SELECT ok((SELECT NOT (payload ? 'body') FROM live_events WHERE payload ->> 'kind' = 'message.new'),
    'events carry ids, never message text');
SELECT is((SELECT count(*) FROM live_events WHERE channel = 'agent/' || :ua), 2::bigint,
    'the agent channel got the typing test and the assignment');

-- laris_worker takes them: id order, seq 1, 2, 3... per channel, removed.
CREATE TEMP TABLE taken (tenant_id bigint, channel text, seq bigint, payload text);
GRANT INSERT ON taken TO laris_worker;
SET LOCAL ROLE laris_worker;
INSERT INTO taken SELECT * FROM live_take(100);
RESET ROLE;
SELECT is((SELECT array_agg(seq ORDER BY seq) FROM taken WHERE channel = 'tenant/' || :ta),
    ARRAY[1, 2, 3, 4]::bigint[], 'the tenant channel numbered 1 to 4');
SELECT is((SELECT array_agg(seq ORDER BY seq) FROM taken WHERE channel = 'agent/' || :ua),
    ARRAY[1, 2]::bigint[], 'the agent channel numbered on its own');
SELECT is((SELECT ((payload::jsonb) ->> 'seq')::bigint FROM taken
            WHERE channel = 'tenant/' || :ta AND seq = 3), 3::bigint,
    'the payload carries its seq');
SELECT is((SELECT count(*) FROM live_events), 0::bigint, 'taken events are removed');
SELECT live_emit(:ta, NULL, 'typing', '{}');
SET LOCAL ROLE laris_worker;
SELECT is((SELECT seq FROM live_take(100)), 5::bigint, 'the next event continues the channel at 5');
RESET ROLE;
SELECT is((SELECT seq FROM live_channels WHERE channel = 'tenant/' || :tb), NULL,
    'a channel without events has no counter');
SELECT ok((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class
            WHERE oid = 'public.live_channels'::regclass), 'live_channels: RLS enabled and forced');

SELECT * FROM finish();
ROLLBACK;
