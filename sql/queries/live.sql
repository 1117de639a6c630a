-- Statements for live events: the typing notice (src/crm/live.c, as laris_app under the
-- tenant) and the publisher's take (src/events, as laris_worker through live_take only).

-- name: live_typing
-- $1 conversation, $2 the person typing, $3 seconds the notice lasts. No row: no such chat
-- in this tenant. The event names the person (user_name) as well: agents cannot list the
-- team, and "Sari sedang mengetik…" needs the name.
SELECT now() + make_interval(secs => $3::int) AS expires_at,
       live_emit(c.tenant_id, NULL, 'typing',
                 jsonb_build_object('conversation_id', c.id, 'user_id', u.id,
                                    'user_name', u.name,
                                    'expires_at', now() + make_interval(secs => $3::int)))
  FROM conversations c
  JOIN users u ON u.tenant_id = c.tenant_id AND u.id = $2::bigint
 WHERE c.id = $1;

-- name: live_take
-- Up to $1 events to publish, in order; inbox_changed: whether the event may change what an
-- inbox list shows (all but typing notices), so that the tenant's cached pages go stale first.
SELECT tenant_id, channel, seq, payload,
       (payload::jsonb ->> 'kind') IS DISTINCT FROM 'typing' AS inbox_changed
  FROM live_take($1);
