-- Statements for the WhatsApp webhook (crm/inbound.c). Times from Meta are Unix seconds.

-- name: wa_route_number
-- Which tenant and number a change's metadata.phone_number_id belongs to (no tenant set).
SELECT tenant_id, wa_number_id FROM wa_number_route($1);

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

-- name: wa_contact_upsert
-- The contact for wa_id $1 (created when new); keeps the latest profile name and the BSUID
-- once one is known.
INSERT INTO contacts (tenant_id, wa_id, phone, profile_name, user_id)
VALUES (laris_current_tenant(), $1, $4, left($2, 200), $3)
ON CONFLICT (tenant_id, wa_id) DO UPDATE
   SET profile_name = coalesce(EXCLUDED.profile_name, contacts.profile_name),
       user_id = coalesce(contacts.user_id, EXCLUDED.user_id),
       updated_at = now()
RETURNING id;

-- name: wa_contact_upsert_user
-- The contact for a username-only user, known by BSUID $1 alone.
INSERT INTO contacts (tenant_id, user_id, profile_name)
VALUES (laris_current_tenant(), $1, left($2, 200))
ON CONFLICT (tenant_id, user_id) DO UPDATE
   SET profile_name = coalesce(EXCLUDED.profile_name, contacts.profile_name),
       updated_at = now()
RETURNING id;

-- name: wa_conversation_open
-- The contact's conversation that is not resolved, opened when there is none. No row only
-- when another transaction opened one at the same moment (then ask again).
WITH existing AS (
    SELECT id FROM conversations
     WHERE contact_id = $1 AND status <> 'resolved'
     LIMIT 1
), opened AS (
    INSERT INTO conversations (tenant_id, contact_id, wa_number_id, status, last_message_at)
    SELECT laris_current_tenant(), $1, $2, 'open', NULL
     WHERE NOT EXISTS (SELECT 1 FROM existing)
    ON CONFLICT DO NOTHING
    RETURNING id
)
SELECT id FROM existing UNION ALL SELECT id FROM opened;

-- name: wa_message_insert_in
-- An inbound message; no row when its wamid was stored before.
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, wamid,
                      type, body, media_id, reply_to_wamid, raw, wa_timestamp, error_code,
                      error_title)
VALUES (laris_current_tenant(), $1, $2, $3, 'in', $4, left($5, 64), $6, $7, $8, $9::jsonb,
        to_timestamp($10::bigint), $11::integer, left($12, 500))
ON CONFLICT (tenant_id, wamid) DO NOTHING
RETURNING id;

-- name: wa_inbound_touch
-- After a new inbound message ($3: its Unix time): the conversation's and the contact's times.
WITH conversation AS (
    UPDATE conversations
       SET last_message_at = greatest(last_message_at, to_timestamp($3::bigint))
     WHERE id = $1
)
UPDATE contacts
   SET last_inbound_at = greatest(last_inbound_at, to_timestamp($3::bigint)), updated_at = now()
 WHERE id = $2;

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
