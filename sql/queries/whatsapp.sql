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

-- name: wa_status_apply
-- Moves message $1's status to $2 when that is forward (wa_status_advances). found = 0 when no
-- message has that wamid yet.
WITH target AS (
    SELECT id FROM messages WHERE wamid = $1
), moved AS (
    UPDATE messages
       SET status = $2::text,
           status_at = to_timestamp($3::bigint),
           sent_at = CASE WHEN $2::text = 'sent' THEN coalesce(sent_at, to_timestamp($3::bigint))
                          ELSE sent_at END,
           error_code = CASE WHEN $2::text = 'failed' THEN $4::integer ELSE error_code END,
           error_title = CASE WHEN $2::text = 'failed' THEN left($5, 500) ELSE error_title END
     WHERE wamid = $1 AND wa_status_advances(status, $2::text)
    RETURNING id
)
SELECT (SELECT count(*) FROM target) AS found, (SELECT count(*) FROM moved) AS moved;

-- name: wa_pending_status_upsert
-- A status for a wamid without a message yet: kept (the furthest one) until the message exists.
INSERT INTO wa_pending_statuses (tenant_id, wamid, status, error_code, error_title, at)
VALUES (laris_current_tenant(), $1, $2, $4::integer, left($5, 500), to_timestamp($3::bigint))
ON CONFLICT (tenant_id, wamid) DO UPDATE
   SET status = EXCLUDED.status, error_code = EXCLUDED.error_code,
       error_title = EXCLUDED.error_title, at = EXCLUDED.at, received_at = now()
 WHERE wa_status_advances(wa_pending_statuses.status, EXCLUDED.status);

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
-- One change routed by phone_number_id $1 and stored with its inbound messages ($6, a JSON
-- array; see sql/0011_webhook_ingest.sql); sets the change's tenant for the transaction.
SELECT routed_tenant_id, routed_number_id, event_id, new_messages
  FROM wa_ingest_change($1, $2, $3, $4, $5::jsonb, $6::jsonb);

-- name: wa_number_webhook
-- The credentials of number $1 for its own webhook route (no tenant set); no row when unknown.
SELECT tenant_id, phone_number_id, encode(app_secret_enc, 'hex') AS app_secret,
       verify_token
  FROM wa_number_webhook($1::bigint);
