-- Statements for the people of a tenant (RLS keeps them inside the tenant of the transaction).

-- name: me_get
SELECT u.id, u.email, u.name, u.role, u.presence, u.max_chats, u.locale, u.active,
       u.created_at, u.last_login_at,
       t.id AS tenant_id, t.name AS tenant_name, t.status AS tenant_status,
       t.timezone AS tenant_timezone, t.locale AS tenant_locale, t.phone AS tenant_phone,
       p.code AS tenant_plan, t.created_at AS tenant_created_at
  FROM users u JOIN tenants t ON t.id = u.tenant_id JOIN plans p ON p.id = t.plan_id
 WHERE u.id = $1;

-- name: users_list
-- One page of users after id $1 (0 for the first page), $2 rows, oldest first.
SELECT id, email, name, role, presence, max_chats, locale, active, created_at, last_login_at
  FROM users
 WHERE id > $1
 ORDER BY id
 LIMIT $2;

-- name: users_get
SELECT id, email, name, role, presence, max_chats, locale, active, created_at, last_login_at
  FROM users
 WHERE id = $1;

-- name: users_create
INSERT INTO users (tenant_id, email, name, role, password_hash, max_chats)
VALUES (laris_current_tenant(), lower($1), $2, $3, $4, coalesce($5::integer, 10))
RETURNING id, email, name, role, presence, max_chats, locale, active, created_at, last_login_at;

-- name: users_update
-- NULL leaves a column as it is.
UPDATE users
   SET name = coalesce($2, name),
       role = coalesce($3, role),
       max_chats = coalesce($4::integer, max_chats),
       active = coalesce($5::boolean, active),
       locale = coalesce($6, locale),
       updated_at = now()
 WHERE id = $1
RETURNING id, email, name, role, presence, max_chats, locale, active, created_at, last_login_at;

-- name: users_password_hash
SELECT password_hash FROM users WHERE id = $1;

-- name: users_set_password
UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now()
 WHERE id = $1;

-- name: users_set_presence
UPDATE users SET presence = $2, presence_at = now() WHERE id = $1
RETURNING presence, presence_at;
