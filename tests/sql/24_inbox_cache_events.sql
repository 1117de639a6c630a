-- What the inbox page cache needs from live events (0024): live_take() says whose each event
-- is, so laris-events can move the tenant's inbox version on before publishing; and a chat's
-- status or snooze changing (by anyone, the snooze wake-up included) publishes
-- conversation.status once per change, nothing when the value stays.
--
-- Fixtures are inserted as the superuser; one transaction, rolled back.

BEGIN;
SELECT plan(8);

SELECT function_privs_are('public', 'live_take', ARRAY['integer'], 'laris_worker',
    ARRAY['EXECUTE'], 'laris_worker may still take events');
SELECT function_privs_are('public', 'live_take', ARRAY['integer'], 'laris_app', ARRAY[]::text[],
    'laris_app still cannot take events');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 24 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 24 B')
RETURNING id AS tb \gset
INSERT INTO contacts (tenant_id, wa_id) VALUES (:ta, '6281200002401') RETURNING id AS k1 \gset
INSERT INTO conversations (tenant_id, contact_id) VALUES (:ta, :k1) RETURNING id AS c1 \gset
INSERT INTO contacts (tenant_id, wa_id) VALUES (:tb, '6281200002402') RETURNING id AS k2 \gset
INSERT INTO conversations (tenant_id, contact_id) VALUES (:tb, :k2) RETURNING id AS c2 \gset
DELETE FROM live_events;

UPDATE conversations SET status = 'resolved' WHERE tenant_id = :ta AND id = :c1;
UPDATE conversations SET status = 'resolved' WHERE tenant_id = :ta AND id = :c1;
UPDATE conversations SET priority = priority WHERE tenant_id = :ta AND id = :c1;
UPDATE conversations SET status = 'snoozed', snoozed_until = now() + interval '1 hour'
 WHERE tenant_id = :tb AND id = :c2;
UPDATE conversations SET snoozed_until = now() + interval '2 hours' WHERE tenant_id = :tb AND id = :c2;

SELECT is((SELECT count(*) FROM live_events
            WHERE tenant_id = :ta AND payload ->> 'kind' = 'conversation.status'), 1::bigint,
    'a status change publishes once; the same status again or another column, nothing');
SELECT is((SELECT payload ->> 'status' FROM live_events
            WHERE tenant_id = :ta AND payload ->> 'kind' = 'conversation.status'), 'resolved',
    'the event carries the new status');
SELECT is((SELECT count(*) FROM live_events
            WHERE tenant_id = :tb AND payload ->> 'kind' = 'conversation.status'), 2::bigint,
    'snoozing and moving the snooze each publish');
SELECT ok((SELECT bool_and(payload ->> 'conversation_id' = :'c2') FROM live_events
            WHERE tenant_id = :tb),
    'the events name the conversation');

CREATE TEMP TABLE taken (tenant_id bigint, channel text, seq bigint, payload text);
GRANT INSERT ON taken TO laris_worker;
SET LOCAL ROLE laris_worker;
INSERT INTO taken SELECT * FROM live_take(100);
RESET ROLE;
SELECT is((SELECT count(*) FROM taken WHERE tenant_id = :ta AND channel = 'tenant/' || :ta),
    1::bigint, 'live_take names tenant A for its event');
SELECT is((SELECT count(DISTINCT channel) FROM taken WHERE tenant_id = :tb), 1::bigint,
    'and tenant B for its own, on its own channel');

SELECT * FROM finish();
ROLLBACK;
