-- Statements for media files: serving and uploads (crm/media.c, as laris_app under the tenant)
-- and the inbound fetch (src/worker/media_fetch.c, as laris_worker through the SECURITY DEFINER
-- functions only).

-- name: media_get
SELECT id, direction, message_id, graph_media_id, mime_type, filename, sha256, size, path,
       status, error, created_at
  FROM media
 WHERE id = $1;

-- name: media_upload_number
-- The number an upload goes to: $1 when given, else the tenant's first active number.
SELECT id, phone_number_id, encode(access_token_enc, 'hex') AS token
  FROM wa_numbers
 WHERE status = 'active' AND ($1::bigint IS NULL OR id = $1::bigint)
 ORDER BY id
 LIMIT 1;

-- name: media_upload_insert
INSERT INTO media (tenant_id, direction, wa_number_id, graph_media_id, mime_type, filename,
                   sha256, size, path, status, uploaded_by, stored_at)
VALUES (laris_current_tenant(), 'out', $1, $2, $3, $4, $5, $6, $7, 'stored', $8, now())
RETURNING id, direction, message_id, graph_media_id, mime_type, filename, sha256, size, path,
          status, error, created_at;

-- name: media_of_messages
-- The media rows of the messages in $1 (an array of ids), for message history.
SELECT message_id, id, mime_type, size, status
  FROM media
 WHERE message_id = ANY ($1::bigint[]);

-- name: worker_media_claim
SELECT tenant_id, media_id, graph_media_id, attempts, phone_number_id,
       encode(access_token_enc, 'hex') AS token
  FROM media_claim($1::integer);

-- name: worker_media_result
SELECT media_result($1::bigint, $2::bigint, $3, $4, $5, $6::bigint, $7, $8, $9::integer)
           AS recorded;
