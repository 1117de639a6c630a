-- Statements for tenant API tokens.

-- name: tokens_list
SELECT id, name, role, token_hint, created_by, created_at, last_used_at, revoked_at
  FROM api_keys
 WHERE id > $1
 ORDER BY id
 LIMIT $2;

-- name: tokens_create
INSERT INTO api_keys (tenant_id, name, role, token_hash, token_hint, created_by)
VALUES (laris_current_tenant(), $1, $2, $3, $4, $5)
RETURNING id, name, role, token_hint, created_by, created_at, last_used_at, revoked_at;

-- name: tokens_revoke
UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
RETURNING id;
