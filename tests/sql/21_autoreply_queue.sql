-- Which customer messages the trigger queues for the auto-replier (0021): those of a chat still
-- waiting for its first-response due time, and every one while the tenant has a greeting, an
-- away message or an active keyword rule; nothing else.
--
-- Fixtures are inserted as the superuser. One transaction, rolled back.

BEGIN;
SELECT plan(6);

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 21')
RETURNING id AS ta \gset
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id) VALUES (:ta, '210000000021', '210000000021')
RETURNING id AS n1 \gset
INSERT INTO contacts (tenant_id, wa_id) VALUES (:ta, '6281300002101') RETURNING id AS k1 \gset
INSERT INTO conversations (tenant_id, contact_id, wa_number_id) VALUES (:ta, :k1, :n1)
RETURNING id AS c1 \gset

CREATE FUNCTION pg_temp.customer_writes(p_tenant bigint, p_conv bigint, p_contact bigint,
                                        p_number bigint) RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    before integer := (SELECT count(*) FROM autoreply_queue WHERE tenant_id = p_tenant);
BEGIN
    INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, type,
                          body)
    VALUES (p_tenant, p_conv, p_contact, p_number, 'in', 'text', 'Halo kak');
    RETURN (SELECT count(*) FROM autoreply_queue WHERE tenant_id = p_tenant) - before;
END $$;

SELECT is(pg_temp.customer_writes(:ta, :c1, :k1, :n1), 1,
    'a chat without a due time queues its message (the worker sets the due time)');
SELECT is(pg_temp.customer_writes(:ta, :c1, :k1, :n1), 1,
    'still queued while the due time is not set');
SELECT sla_set_due(:ta, :c1, now() + interval '5 minutes');
SELECT is(pg_temp.customer_writes(:ta, :c1, :k1, :n1), 0,
    'with a due time and no auto-reply turned on, nothing is queued');
INSERT INTO tenant_settings (tenant_id, away_enabled, away_text) VALUES (:ta, true, 'Kami tutup');
SELECT is(pg_temp.customer_writes(:ta, :c1, :k1, :n1), 1, 'an away message turned on queues it');
UPDATE tenant_settings SET away_enabled = false WHERE tenant_id = :ta;
INSERT INTO auto_replies (tenant_id, keywords, keywords_norm, match, reply_text, active)
VALUES (:ta, ARRAY['harga'], ARRAY['harga'], 'contains', 'Harga mulai 10rb', false);
SELECT is(pg_temp.customer_writes(:ta, :c1, :k1, :n1), 0, 'an inactive keyword rule does not');
UPDATE auto_replies SET active = true WHERE tenant_id = :ta;
SELECT is(pg_temp.customer_writes(:ta, :c1, :k1, :n1), 1, 'an active keyword rule does');

SELECT * FROM finish();
ROLLBACK;
