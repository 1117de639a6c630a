-- Statements for the WhatsApp webhook (crm/inbound.c). Times from Meta are Unix seconds.

-- name: wa_route_waba
-- The tenants with a number in WABA $1 (template events carry no phone_number_id).
SELECT tenant_id, wa_number_id FROM wa_waba_route($1);

-- name: wa_event_insert
-- Stores one change as received; no row when this very change was stored before.
INSERT INTO webhook_events (tenant_id, phone_number_id, waba_id, field, body_hash, raw)
VALUES (laris_current_tenant(), $1, $2, $3, $4, $5::jsonb)
ON CONFLICT (tenant_id, body_hash) DO NOTHING
RETURNING id;

-- name: wa_error_insert
INSERT INTO wa_errors (tenant_id, webhook_event_id, wamid, code, title, message, details)
VALUES (laris_current_tenant(), $1, $2, $3::bigint, left($4, 500), left($5, 2000), left($6, 4000));

-- name: wa_contact_preference
-- A marketing stop ($2 true) or resume ($2 false) of wa_id $1 at Unix time $3; an older
-- preference than the one recorded changes nothing.
INSERT INTO contacts (tenant_id, wa_id, phone, marketing_opt_out_at, marketing_pref_at)
VALUES (laris_current_tenant(), $1, $4,
        CASE WHEN $2::boolean THEN to_timestamp($3::bigint) END, to_timestamp($3::bigint))
ON CONFLICT (tenant_id, wa_id) DO UPDATE
   SET marketing_opt_out_at = EXCLUDED.marketing_opt_out_at,
       marketing_pref_at = EXCLUDED.marketing_pref_at,
       updated_at = now()
 WHERE contacts.marketing_pref_at IS NULL
    OR contacts.marketing_pref_at <= EXCLUDED.marketing_pref_at;

-- name: wa_ingest_change
-- One change routed by phone_number_id $1 and stored with its inbound messages ($6) and
-- statuses ($7), JSON arrays (see sql/0011_webhook_ingest.sql); sets the change's tenant for
-- the transaction.
SELECT routed_tenant_id, routed_number_id, event_id, new_messages
  FROM wa_ingest_change($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb);

-- name: wa_number_webhook
-- The credentials of number $1 for its own webhook route (no tenant set); no row when unknown.
SELECT tenant_id, wa_number_id, phone_number_id, waba_id,
       encode(app_secret_enc, 'hex') AS app_secret, verify_token
  FROM wa_number_webhook($1::bigint);
