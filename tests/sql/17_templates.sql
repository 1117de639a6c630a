-- WhatsApp message templates (0017): a tenant table under RLS. Another tenant and no tenant see
-- none of a tenant's templates and cannot change them; the checks hold Meta's shapes.
--
-- Fixtures are inserted as the superuser; the tests switch roles with SET LOCAL ROLE. One
-- transaction, rolled back.

BEGIN;
SELECT plan(11);

SELECT is((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE relname = 'templates'),
          true, 'templates: RLS enabled and forced');
SELECT table_privs_are('public', 'templates', 'laris_worker', ARRAY[]::text[],
    'laris_worker has no access to templates');

INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 17 A')
RETURNING id AS ta \gset
INSERT INTO tenants (plan_id, name) VALUES ((SELECT id FROM plans WHERE code = 'trial'), 'pgTAP 17 B')
RETURNING id AS tb \gset
INSERT INTO templates (tenant_id, waba_id, name, language, category, components, body_params,
                       status, meta_template_id, status_at)
VALUES (:ta, '210000000017001', 'promo_rahasia', 'id', 'MARKETING',
        '[{"type": "BODY", "text": "Halo {{1}}"}]', '{1}', 'PENDING', '1700000000000017',
        to_timestamp(1763800000))
RETURNING id AS pa \gset

SELECT throws_ok($$ INSERT INTO templates (tenant_id, waba_id, name, language, category, components,
                                           status)
                    VALUES ($$ || :ta || $$, '1', 'Promo', 'id', 'MARKETING', '[]', 'PENDING') $$,
    '23514', NULL, 'a name is lowercase letters, digits and underscores');
SELECT throws_ok($$ INSERT INTO templates (tenant_id, waba_id, name, language, category, components,
                                           status)
                    VALUES ($$ || :ta || $$, '1', 'promo', 'id', 'SERVICE', '[]', 'PENDING') $$,
    '23514', NULL, 'a category is one of Meta''s three');
SELECT throws_ok($$ INSERT INTO templates (tenant_id, waba_id, name, language, category, components,
                                           status)
                    VALUES ($$ || :ta || $$, '210000000017001', 'promo_rahasia', 'id',
                            'MARKETING', '[]', 'PENDING') $$,
    '23505', NULL, 'one template per WABA, name and language');

-- Tenant B sees and changes nothing of A's.
SET LOCAL ROLE laris_app;
SELECT set_config('laris.tenant_id', :'tb', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM templates), 0, 'RLS: tenant B sees no template of A');
SELECT is((SELECT count(*)::int FROM templates WHERE id = :pa), 0, 'RLS: not even by id');
UPDATE templates SET status = 'APPROVED' WHERE id = :pa;
DELETE FROM templates WHERE id = :pa;
SELECT throws_ok($$ INSERT INTO templates (tenant_id, waba_id, name, language, category, components,
                                           status)
                    VALUES ($$ || :ta || $$, '1', 'promo', 'id', 'MARKETING', '[]', 'PENDING') $$,
    '42501', NULL, 'RLS: B cannot write a row of A');

-- No tenant: nothing.
SELECT set_config('laris.tenant_id', '', true) \g /dev/null
SELECT is((SELECT count(*)::int FROM templates), 0, 'no tenant: no templates');

-- A sees its row, unchanged by B.
SELECT set_config('laris.tenant_id', :'ta', true) \g /dev/null
SELECT is((SELECT status FROM templates WHERE id = :pa), 'PENDING', 'B''s update changed nothing');
SELECT is((SELECT count(*)::int FROM templates), 1, 'B''s delete removed nothing');

RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
