-- Statements for distribution: settings, claim, transfer, escalate and the one-owner check of
-- replies (crm/distribution.c, as laris_app under the tenant), and laris-worker's assigner
-- (src/worker/assign.c, as laris_worker through the SECURITY DEFINER dist_* functions only).

-- name: settings_get
-- The tenant's settings; the defaults when it has no row yet.
SELECT coalesce(s.distribution_mode, 'round_robin') AS distribution_mode,
       coalesce(s.offline_grace_seconds, 300) AS offline_grace_seconds, s.updated_at
  FROM (SELECT 1) AS one
  LEFT JOIN tenant_settings s ON s.tenant_id = laris_current_tenant();

-- name: settings_put
-- NULL leaves a setting as it is.
INSERT INTO tenant_settings (tenant_id, distribution_mode, offline_grace_seconds)
VALUES (laris_current_tenant(), coalesce($1, 'round_robin'), coalesce($2::integer, 300))
ON CONFLICT (tenant_id) DO UPDATE
   SET distribution_mode = coalesce($1, tenant_settings.distribution_mode),
       offline_grace_seconds = coalesce($2::integer, tenant_settings.offline_grace_seconds),
       updated_at = now()
RETURNING distribution_mode, offline_grace_seconds, updated_at;

-- name: dist_conversation_lock
-- Conversation $1 and its owner, locked until the transaction ends (replies and hand-overs of
-- one chat queue up here, so exactly one of two racing agents gets it). No join: a row changed
-- while we waited is read again, a joined row would not be.
SELECT id, status, assignee_id FROM conversations WHERE id = $1 FOR UPDATE;

-- name: dist_conversation_assign
UPDATE conversations
   SET assignee_id = $2, assigned_at = now()
 WHERE id = $1;

-- name: dist_history_insert
INSERT INTO conversation_assignments (tenant_id, conversation_id, from_user_id, to_user_id,
                                      reason, by_user_id, note)
VALUES (laris_current_tenant(), $1, $2, $3, $4, $5, $6);

-- name: dist_conversation_get
SELECT v.id, v.status, v.assignee_id, u.name AS assignee_name, v.assigned_at, v.escalated_at,
       v.escalated_by, v.escalation_reason
  FROM conversations v
  LEFT JOIN users u ON u.id = v.assignee_id
 WHERE v.id = $1;

-- name: dist_user_get
SELECT id, name, role, active, presence FROM users WHERE id = $1;

-- name: dist_supervisor_pick
-- The online supervisor with the fewest open chats.
SELECT u.id, u.name
  FROM users u
 WHERE u.role = 'supervisor' AND u.active AND u.presence = 'online'
 ORDER BY (SELECT count(*) FROM conversations v
            WHERE v.assignee_id = u.id AND v.status <> 'resolved'), u.id
 LIMIT 1;

-- name: dist_escalate_mark
UPDATE conversations
   SET escalated_at = now(), escalated_by = $2, escalation_reason = $3
 WHERE id = $1;

-- name: dist_history_list
-- Conversation $1's changes of owner, oldest first.
SELECT id, from_user_id, to_user_id, reason, by_user_id, note, at
  FROM conversation_assignments
 WHERE conversation_id = $1
 ORDER BY id
 LIMIT 200;

-- name: assigner_waiting_tenants
SELECT tenant_id, dist_version FROM dist_waiting_tenants();

-- name: assigner_agents
SELECT user_id, max_chats, load, available, dist_version FROM dist_agents($1::bigint);

-- name: assigner_take
SELECT dist_take_waiting($1::bigint) AS conversation_id;

-- name: assigner_assign
SELECT dist_assign($1::bigint, $2::bigint, $3::bigint) AS outcome;

-- name: assigner_redistribute
SELECT dist_redistribute() AS freed;
