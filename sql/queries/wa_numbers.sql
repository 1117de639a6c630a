-- Statements for the tenant's WhatsApp numbers (crm/wa_numbers.c). Secrets go in as hex of
-- nonce || secretbox and never come out: the columns below say only whether one is stored.
-- A removed number (status 'disabled') is invisible to these routes.

-- name: wa_numbers_list
SELECT id, name, phone_number_id, waba_id, display_phone_number, throughput_mps, status,
       access_token_enc IS NOT NULL AS has_access_token, app_secret_enc IS NOT NULL AS has_app_secret,
       verify_token IS NOT NULL AS has_verify_token, created_at, updated_at
  FROM wa_numbers
 WHERE id > $1 AND status <> 'disabled'
 ORDER BY id
 LIMIT $2;

-- name: wa_numbers_get
SELECT id, name, phone_number_id, waba_id, display_phone_number, throughput_mps, status,
       access_token_enc IS NOT NULL AS has_access_token, app_secret_enc IS NOT NULL AS has_app_secret,
       verify_token IS NOT NULL AS has_verify_token, created_at, updated_at
  FROM wa_numbers
 WHERE id = $1 AND status <> 'disabled';

-- name: wa_numbers_create
-- Connects a number; a number of this tenant removed before is reactivated with everything
-- given anew. No row: the tenant has it connected already. 23505 (from the route trigger):
-- another tenant has it.
INSERT INTO wa_numbers (tenant_id, phone_number_id, waba_id, display_phone_number,
                        access_token_enc, app_secret_enc, verify_token, throughput_mps, name)
VALUES (laris_current_tenant(), $1, $2, $3, decode($4, 'hex'), decode($5, 'hex'), $6,
        coalesce($7::integer, 80), $8)
ON CONFLICT (tenant_id, phone_number_id) DO UPDATE
   SET waba_id = EXCLUDED.waba_id, display_phone_number = EXCLUDED.display_phone_number,
       access_token_enc = EXCLUDED.access_token_enc, app_secret_enc = EXCLUDED.app_secret_enc,
       verify_token = EXCLUDED.verify_token, throughput_mps = EXCLUDED.throughput_mps,
       name = EXCLUDED.name, status = 'active', updated_at = now()
 WHERE wa_numbers.status = 'disabled'
RETURNING id, name, phone_number_id, waba_id, display_phone_number, throughput_mps, status,
          access_token_enc IS NOT NULL AS has_access_token,
          app_secret_enc IS NOT NULL AS has_app_secret,
          verify_token IS NOT NULL AS has_verify_token, created_at, updated_at;

-- name: wa_numbers_update
-- Changes what is given (NULL: keeps it). $3/$4 are hex of sealed secrets.
UPDATE wa_numbers
   SET name = coalesce($2, name),
       access_token_enc = coalesce(decode($3, 'hex'), access_token_enc),
       app_secret_enc = coalesce(decode($4, 'hex'), app_secret_enc),
       verify_token = coalesce($5, verify_token),
       throughput_mps = coalesce($6::integer, throughput_mps),
       display_phone_number = coalesce($7, display_phone_number),
       updated_at = now()
 WHERE id = $1 AND status <> 'disabled'
RETURNING id, name, phone_number_id, waba_id, display_phone_number, throughput_mps, status,
          access_token_enc IS NOT NULL AS has_access_token,
          app_secret_enc IS NOT NULL AS has_app_secret,
          verify_token IS NOT NULL AS has_verify_token, created_at, updated_at;

-- name: wa_numbers_remove
-- Disables the number and forgets its secrets; the trigger frees its phone_number_id.
UPDATE wa_numbers
   SET status = 'disabled', access_token_enc = NULL, app_secret_enc = NULL, verify_token = NULL,
       updated_at = now()
 WHERE id = $1 AND status <> 'disabled'
RETURNING id, phone_number_id;
