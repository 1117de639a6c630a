-- Statements for signup, login, sessions and API tokens as credentials.

-- name: signup_tenant
SELECT tenant_id, user_id FROM signup_tenant($1, $2, $3, $4, $5, $6);

-- name: auth_find_login
SELECT tenant_id, user_id FROM auth_find_login($1) WHERE tenant_id IS NOT NULL;

-- name: auth_login_user
SELECT u.id, u.password_hash, u.active, t.status AS tenant_status
  FROM users u JOIN tenants t ON t.id = u.tenant_id
 WHERE u.id = $1;

-- name: auth_session
-- The identity behind a session token hash ($1), if the session is live: not ended, within
-- its absolute lifetime and idle timeout ($2 seconds), user active, tenant active. It also
-- returns the columns of me_get, so GET /me needs no second query. valid_until: when it ends
-- at the latest without another request (its lifetime or idle timeout), in Unix seconds.
SELECT s.id AS session_id, u.id AS user_id, u.role AS actor_role,
       s.last_seen_at < now() - interval '60 seconds' AS stale,
       floor(extract(epoch FROM least(s.expires_at,
                                      s.last_seen_at + make_interval(secs => $2::integer))))::bigint
           AS valid_until,
       u.id, u.email, u.name, u.role, u.presence, u.max_chats, u.locale, u.active,
       u.created_at, u.last_login_at,
       t.id AS tenant_id, t.name AS tenant_name, t.status AS tenant_status,
       t.timezone AS tenant_timezone, t.locale AS tenant_locale, t.phone AS tenant_phone,
       p.code AS tenant_plan, t.created_at AS tenant_created_at
  FROM sessions s
  JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
  JOIN tenants t ON t.id = s.tenant_id
  JOIN plans p ON p.id = t.plan_id
 WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now()
   AND s.last_seen_at > now() - make_interval(secs => $2::integer)
   AND u.active AND t.status = 'active';

-- name: auth_session_touch
UPDATE sessions SET last_seen_at = now() WHERE id = $1;

-- name: auth_api_key
-- The identity behind an API token hash ($1), if not revoked and its creator is active; the
-- token acts with its own role. Also the columns of me_get (the creator and the tenant).
SELECT k.id AS key_id, k.created_by AS user_id, k.role AS actor_role,
       k.last_used_at IS NULL OR k.last_used_at < now() - interval '60 seconds' AS stale,
       u.id, u.email, u.name, u.role, u.presence, u.max_chats, u.locale, u.active,
       u.created_at, u.last_login_at,
       t.id AS tenant_id, t.name AS tenant_name, t.status AS tenant_status,
       t.timezone AS tenant_timezone, t.locale AS tenant_locale, t.phone AS tenant_phone,
       p.code AS tenant_plan, t.created_at AS tenant_created_at
  FROM api_keys k
  JOIN users u ON u.tenant_id = k.tenant_id AND u.id = k.created_by
  JOIN tenants t ON t.id = k.tenant_id
  JOIN plans p ON p.id = t.plan_id
 WHERE k.token_hash = $1 AND k.revoked_at IS NULL AND u.active AND t.status = 'active';

-- name: auth_api_key_touch
UPDATE api_keys SET last_used_at = now() WHERE id = $1;

-- name: session_create
INSERT INTO sessions (tenant_id, user_id, token_hash, expires_at, client_addr, user_agent)
VALUES (laris_current_tenant(), $1, $2, now() + make_interval(secs => $3::integer), $4,
        left($5, 300))
RETURNING id;

-- name: session_end
UPDATE sessions SET ended_at = now() WHERE id = $1 AND ended_at IS NULL;

-- name: sessions_end_others
-- Ends every live session of user $1 except session $2 (0 ends them all).
UPDATE sessions SET ended_at = now()
 WHERE user_id = $1 AND id <> $2 AND ended_at IS NULL;

-- name: user_mark_login
UPDATE users SET last_login_at = now() WHERE id = $1;
