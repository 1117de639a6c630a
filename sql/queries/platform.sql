-- Statements for health checks and the audit log.

-- name: health_ping
SELECT 1;

-- name: audit_insert
INSERT INTO audit_log (tenant_id, actor_user_id, actor_kind, action, target_type, target_id,
                       detail, request_id, client_addr)
VALUES (laris_current_tenant(), $1, $2, $3, $4, $5, coalesce($6::jsonb, '{}'), $7, $8);

-- name: audit_list
SELECT id, actor_user_id, actor_kind, action, target_type, target_id, detail, created_at
  FROM audit_log
 WHERE id > $1
 ORDER BY id
 LIMIT $2;

-- name: set_tenant
-- Switches the tenant inside the current transaction (after signup or finding a login).
SELECT set_config('laris.tenant_id', $1, true);
