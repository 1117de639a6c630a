-- Statements for messages out: replies (crm/outbound.c, as laris_app under the tenant) and
-- laris-worker (src/worker, as laris_worker through the SECURITY DEFINER functions only).

-- name: reply_idempotency_get
-- The message an Idempotency-Key made within the last 24 hours.
SELECT scope, message_id FROM idempotency_keys
 WHERE key = $1 AND created_at > now() - interval '24 hours';

-- name: reply_idempotency_put
-- Remembers key $1 for scope $2 and message $3; a key older than 24 hours is replaced.
INSERT INTO idempotency_keys (tenant_id, key, scope, message_id)
VALUES (laris_current_tenant(), $1, $2, $3)
ON CONFLICT (tenant_id, key) DO UPDATE
   SET scope = EXCLUDED.scope, message_id = EXCLUDED.message_id, created_at = now()
 WHERE idempotency_keys.created_at <= now() - interval '24 hours'
RETURNING key;

-- name: reply_context
-- What a reply in conversation $1 needs: its contact and number, and whether the customer
-- service window (24 hours since the customer's last message) is open.
SELECT v.id, v.contact_id, v.wa_number_id, n.status AS number_status,
       c.wa_id, c.last_inbound_at IS NOT NULL
           AND c.last_inbound_at > now() - interval '24 hours' AS window_open
  FROM conversations v
  JOIN contacts c ON c.id = v.contact_id
  LEFT JOIN wa_numbers n ON n.id = v.wa_number_id
 WHERE v.id = $1;

-- name: reply_template
-- The components of template $2 in language $3 of number $1's WABA, as this tenant holds them
-- (no row: not synced yet, and Meta alone checks the send).
SELECT t.components
  FROM templates t
  JOIN wa_numbers n ON n.waba_id = t.waba_id
 WHERE n.id = $1 AND t.name = $2 AND t.language = $3;

-- name: reply_message_insert
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, type,
                      body, payload, status, status_at, sent_by, reply_to_wamid)
VALUES (laris_current_tenant(), $1, $2, $3, 'out', $4, $5, $6::jsonb, 'queued', now(), $7, $8)
RETURNING id, conversation_id, direction, type, body, payload, status, wamid, error_code,
          error_title, error_message, sent_by, created_at, sent_at, reply_to_wamid;

-- name: reply_outbox_insert
INSERT INTO outbox (tenant_id, message_id, wa_number_id)
VALUES (laris_current_tenant(), $1, $2);

-- name: reply_conversation_touch
UPDATE conversations SET last_message_at = now() WHERE id = $1;

-- name: message_get
SELECT id, conversation_id, direction, type, body, payload, status, wamid, error_code,
       error_title, error_message, sent_by, created_at, sent_at, reply_to_wamid
  FROM messages
 WHERE id = $1;

-- name: messages_list
-- One page of conversation $1's messages after id $2 (read receipts are not messages).
SELECT id, conversation_id, direction, type, body, payload, status, wamid, error_code,
       error_title, error_message, sent_by, created_at, sent_at, reply_to_wamid
  FROM messages
 WHERE conversation_id = $1 AND id > $2 AND type <> 'read'
 ORDER BY id
 LIMIT $3;

-- name: worker_outbox_claim
SELECT tenant_id, outbox_id, message_id, wa_number_id FROM outbox_claim($1::integer);

-- name: worker_outbound_begin_many
-- Begins the messages of tenants $1[i] and ids $2[i] (text arrays of bigints).
SELECT tenant_id, message_id, type, body, payload, to_wa_id, phone_number_id,
       encode(access_token_enc, 'hex') AS token, throughput_mps, reply_to_wamid
  FROM outbound_begin_many($1::bigint[], $2::bigint[]);

-- name: worker_outbound_result
SELECT outbound_result($1::bigint, $2::bigint, $3, $4, $5::integer, $6, $7) AS recorded;

-- name: reply_target
-- Message $2 of conversation $1 that a reply may quote, react to or mark read: its wamid
-- (NULL while it is not sent yet) and direction.
SELECT id, direction, type, wamid FROM messages
 WHERE conversation_id = $1 AND id = $2 AND type <> 'read';

-- name: read_receipt_insert
-- The read receipt for inbound wamid $4 of conversation $1 (contact $2, number $3), once: no
-- row when one exists already.
INSERT INTO messages (tenant_id, conversation_id, contact_id, wa_number_id, direction, type,
                      payload, status, status_at, sent_by, reply_to_wamid)
VALUES (laris_current_tenant(), $1, $2, $3, 'out', 'read',
        jsonb_build_object('message_id', $4::text), 'queued', now(), $5, $4)
ON CONFLICT (tenant_id, reply_to_wamid) WHERE type = 'read' DO NOTHING
RETURNING id, conversation_id, direction, type, body, payload, status, wamid, error_code,
          error_title, error_message, sent_by, created_at, sent_at, reply_to_wamid;

-- name: read_receipt_get
SELECT id, conversation_id, direction, type, body, payload, status, wamid, error_code,
       error_title, error_message, sent_by, created_at, sent_at, reply_to_wamid
  FROM messages
 WHERE type = 'read' AND reply_to_wamid = $1;

-- name: wa_number_test_get
-- What testing number $1 needs: its phone_number_id and sealed token (hex).
SELECT phone_number_id, encode(access_token_enc, 'hex') AS token
  FROM wa_numbers
 WHERE id = $1 AND status <> 'disabled';

-- name: wa_number_test_status
-- After a test: 'disconnected' when Graph refused the token (190), 'active' again when it
-- answered. Template calls refused with 190 (crm/templates.c) set 'disconnected' too.
UPDATE wa_numbers SET status = $2, updated_at = now()
 WHERE id = $1 AND status <> 'disabled';

-- name: worker_outbound_result_many
-- The outcomes of several sends: $1..$7 are array literals of outbound_result's arguments.
SELECT outbound_result_many($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::integer[],
                            $6::text[], $7::text[]) AS recorded;

-- name: worker_outbound_token_expired
SELECT outbound_token_expired($1::bigint, $2::bigint, $3, $4) AS recorded;

-- name: worker_outbound_expire
SELECT outbound_expire($1::integer) AS expired;

-- name: worker_outbox_rebuild
SELECT outbox_rebuild() AS rebuilt;
