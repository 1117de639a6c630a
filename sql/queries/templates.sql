-- Statements of the templates API (crm/templates.c), as laris_app under the tenant, and of the
-- template status webhook (crm/inbound.c, under each routed tenant). See sql/0017_templates.sql.

-- name: templates_number
-- The number whose token speaks for a WABA: number $1 (NULL: any) in WABA $2 (NULL: any), one
-- that can be used (a sealed token, not disabled), active ones first.
SELECT id, waba_id, encode(access_token_enc, 'hex') AS token
  FROM wa_numbers
 WHERE ($1::bigint IS NULL OR id = $1::bigint)
   AND ($2::text IS NULL OR waba_id = $2)
   AND access_token_enc IS NOT NULL AND status <> 'disabled'
 ORDER BY status = 'active' DESC, id
 LIMIT 1;

-- name: templates_list
-- One page after id $1 ($2 rows): status $3 (NULL: any), name containing $4 (NULL: any).
SELECT id, waba_id, name, language, category, components, parameter_format,
       array_to_json(body_params) AS body_params, array_to_json(header_params) AS header_params,
       status, rejection_reason, meta_template_id, status_at, created_at,
       updated_at
  FROM templates
 WHERE id > $1
   AND ($3::text IS NULL OR status = $3)
   AND ($4::text IS NULL OR strpos(name, $4) > 0)
 ORDER BY id
 LIMIT $2;

-- name: templates_get
SELECT id, waba_id, name, language, category, components, parameter_format,
       array_to_json(body_params) AS body_params, array_to_json(header_params) AS header_params,
       status, rejection_reason, meta_template_id, status_at, created_at,
       updated_at
  FROM templates WHERE id = $1;

-- name: templates_upsert
-- Stores what Meta holds for WABA $1: $2 is a JSON array of {name, language, category,
-- components, parameter_format, body_params, header_params, status, rejection_reason,
-- meta_template_id}; $3 the person who created it (NULL for a sync). Returns the rows.
INSERT INTO templates (tenant_id, waba_id, name, language, category, components,
                       parameter_format, body_params, header_params, status, rejection_reason,
                       meta_template_id, created_by)
SELECT laris_current_tenant(), $1, t.name, t.language, t.category, t.components,
       t.parameter_format, t.body_params, t.header_params, t.status, t.rejection_reason,
       t.meta_template_id, $3::bigint
  FROM jsonb_to_recordset($2::jsonb) AS t(name text, language text, category text,
                                          components jsonb, parameter_format text,
                                          body_params text[], header_params text[],
                                          status text, rejection_reason text,
                                          meta_template_id text)
ON CONFLICT (tenant_id, waba_id, name, language) DO UPDATE
   SET category = EXCLUDED.category, components = EXCLUDED.components,
       parameter_format = EXCLUDED.parameter_format, body_params = EXCLUDED.body_params,
       header_params = EXCLUDED.header_params, status = EXCLUDED.status,
       rejection_reason = EXCLUDED.rejection_reason,
       meta_template_id = EXCLUDED.meta_template_id, status_at = now(), updated_at = now()
RETURNING id, waba_id, name, language, category, components, parameter_format,
          array_to_json(body_params) AS body_params,
          array_to_json(header_params) AS header_params, status, rejection_reason, meta_template_id, status_at, created_at,
          updated_at;

-- name: templates_prune
-- After a complete sync of WABA $1: the rows Meta no longer lists (ids $2, a text array) go.
DELETE FROM templates
 WHERE waba_id = $1 AND (meta_template_id IS NULL OR meta_template_id <> ALL ($2::text[]))
RETURNING id;

-- name: templates_edit
-- Template $1 after Meta accepted new components $2 (variables $3, $4 as JSON arrays, format
-- $5): Meta reviews it again.
UPDATE templates
   SET components = $2::jsonb,
       body_params = ARRAY(SELECT jsonb_array_elements_text($3::jsonb)),
       header_params = ARRAY(SELECT jsonb_array_elements_text($4::jsonb)),
       parameter_format = $5, status = 'PENDING', rejection_reason = NULL, status_at = now(),
       updated_at = now()
 WHERE id = $1
RETURNING id, waba_id, name, language, category, components, parameter_format,
          array_to_json(body_params) AS body_params,
          array_to_json(header_params) AS header_params, status, rejection_reason, meta_template_id, status_at, created_at,
          updated_at;

-- name: templates_delete
-- Meta deletes every language of a name: so do we (WABA $1, name $2).
DELETE FROM templates WHERE waba_id = $1 AND name = $2 RETURNING id;

-- name: templates_status
-- A status event for WABA $1: Meta's template id $2 (or, for a row without one, name $3 and
-- language $4) is now $5 with reason $6 ('NONE' clears it) and category $7 (NULL: unchanged),
-- as of Unix time $8. An event older than the status held changes nothing (compared to the
-- second: Meta's times are whole seconds).
UPDATE templates
   SET status = $5,
       rejection_reason = CASE WHEN $6::text IS NULL OR $6 = 'NONE' THEN NULL
                               ELSE left($6, 200) END,
       category = coalesce($7, category),
       meta_template_id = $2,
       status_at = to_timestamp($8::bigint), updated_at = now()
 WHERE waba_id = $1
   AND (meta_template_id = $2 OR (meta_template_id IS NULL AND name = $3 AND language = $4))
   AND date_trunc('second', status_at) <= to_timestamp($8::bigint)
RETURNING id;
