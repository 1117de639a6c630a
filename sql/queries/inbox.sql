-- Statements of the inbox API (crm/inbox.c, crm/labels.c, crm/quick_replies.c), as laris_app
-- under the tenant; and laris-worker's snooze wake-up (as laris_worker, through the SECURITY
-- DEFINER function only).

-- name: inbox_list
-- One page of the inbox for user $1, newest activity first. Filters (NULL: any): status $2;
-- assignee mode $3 ('any', 'none', 'user') with user $4; label $5. Keyset cursor: rows before
-- (activity_at, id) = (epoch + $6 microseconds, $7). $8 rows. See inbox_page in
-- sql/0019_inbox_search.sql (a function, so that its plan is made once per connection).
SELECT (p.conversation).*, p.activity_us, p.unread_count
  FROM inbox_page($1::bigint, $2::text, $3::text, $4::bigint, $5::bigint, $6::bigint, $7::bigint,
                  $8::integer) p;

-- name: inbox_search
-- inbox_list ($1 to $8 the same) narrowed to conversations whose contact name or profile name
-- matches ILIKE pattern $9 (escaped by the caller), whose phone contains digits $10 or $11
-- (NULL: no phone search), or that hold a message whose body matches $9, found through the
-- trigram indexes (see sql/0019_inbox_search.sql), each side capped at $12 rows. Every row also
-- carries hits, the larger side's count (0 rows of the page still give one row with NULL
-- details): $12 means the term is too common for this path, and no page is made then.
WITH hits AS MATERIALIZED (
    SELECT inbox_search_messages($9::text, $12::integer) AS id),
named AS MATERIALIZED (
    SELECT inbox_search_contacts($9::text, $10::text, $11::text, $12::integer) AS id),
page AS (
    SELECT v.id, v.activity_at FROM conversations v
     WHERE (SELECT count(*) FROM hits) < $12::integer
       AND (SELECT count(*) FROM named) < $12::integer
       AND v.id IN (SELECT n.id FROM named n UNION SELECT h.id FROM hits h)
       AND ($2::text IS NULL OR v.status = $2)
       AND ($3 = 'any' OR ($3 = 'none' AND v.assignee_id IS NULL)
            OR ($3 = 'user' AND v.assignee_id = $4::bigint))
       AND ($5::bigint IS NULL OR EXISTS (
               SELECT 1 FROM conversation_labels cl
                WHERE cl.tenant_id = v.tenant_id AND cl.conversation_id = v.id
                  AND cl.label_id = $5))
       AND ($6::bigint IS NULL
            OR (v.activity_at, v.id) < ('epoch'::timestamptz + ($6 / 1000000) * interval '1 second'
                                        + ($6 % 1000000) * interval '1 microsecond', $7::bigint))
     ORDER BY v.activity_at DESC, v.id DESC
     LIMIT $8)
SELECT greatest((SELECT count(*) FROM hits), (SELECT count(*) FROM named)) AS hits, i.*,
       (extract(epoch FROM i.activity_at) * 1000000)::bigint AS activity_us,
       (SELECT count(*) FROM (SELECT 1 FROM messages m
                               WHERE m.tenant_id = i.tenant_id AND m.conversation_id = i.id
                                 AND m.direction = 'in'
                                 AND m.id > coalesce(r.last_read_message_id, 0)
                               LIMIT 1000) u) AS unread_count
  FROM (SELECT 1) one
  LEFT JOIN (page p
             JOIN inbox_conversations i ON i.id = p.id
             LEFT JOIN conversation_reads r
                    ON r.tenant_id = i.tenant_id AND r.conversation_id = i.id AND r.user_id = $1)
         ON true
 ORDER BY p.activity_at DESC, p.id DESC;

-- name: inbox_search_batch
-- One batch of a search that walks the inbox newest first: of the next $12 conversations of
-- inbox_list's order that pass its filters ($1 to $7 the same), those whose contact name or
-- profile name matches ILIKE pattern $9, whose phone contains $10 or $11, or that hold a message
-- whose body matches $9, up to $8 of them, with inbox_list's columns. The walk stops at $8, so a
-- common word checks few conversations. Every row also carries the cursor position of the
-- batch's last conversation (scanned_us, scanned_id), where the next batch starts: NULL when
-- fewer than $12 were left (the inbox ends here). 0 matches still give one row with NULL
-- details. The cursor's time is computed from immutable functions only, so that it is a constant
-- of the plan and bounds the index scan (under RLS a non-leakproof expression only filters). The checks are scalar subqueries, so that each conversation is probed through its
-- primary key and messages_conversation_idx: as EXISTS, PostgreSQL may hash every matching
-- message of the tenant instead.
WITH edge AS (
    SELECT v.activity_at, v.id FROM conversations v
     WHERE ($2::text IS NULL OR v.status = $2)
       AND ($3 = 'any' OR ($3 = 'none' AND v.assignee_id IS NULL)
            OR ($3 = 'user' AND v.assignee_id = $4::bigint))
       AND ($5::bigint IS NULL OR EXISTS (
               SELECT 1 FROM conversation_labels cl
                WHERE cl.tenant_id = v.tenant_id AND cl.conversation_id = v.id
                  AND cl.label_id = $5))
       AND v.activity_at <= coalesce(('epoch'::timestamp + ($6::bigint / 1000000) * interval '1 second'
                                      + ($6 % 1000000) * interval '1 microsecond')
                                     AT TIME ZONE 'UTC', 'infinity')
       AND ($6 IS NULL
            OR (v.activity_at, v.id) < (('epoch'::timestamp + ($6 / 1000000) * interval '1 second'
                                         + ($6 % 1000000) * interval '1 microsecond')
                                        AT TIME ZONE 'UTC', $7::bigint))
     ORDER BY v.activity_at DESC, v.id DESC
     OFFSET $12::integer - 1
     LIMIT 1),
page AS (
    SELECT v.id, v.activity_at FROM conversations v
     WHERE ($2::text IS NULL OR v.status = $2)
       AND ($3 = 'any' OR ($3 = 'none' AND v.assignee_id IS NULL)
            OR ($3 = 'user' AND v.assignee_id = $4::bigint))
       AND ($5::bigint IS NULL OR EXISTS (
               SELECT 1 FROM conversation_labels cl
                WHERE cl.tenant_id = v.tenant_id AND cl.conversation_id = v.id
                  AND cl.label_id = $5))
       AND v.activity_at <= coalesce(('epoch'::timestamp + ($6::bigint / 1000000) * interval '1 second'
                                      + ($6 % 1000000) * interval '1 microsecond')
                                     AT TIME ZONE 'UTC', 'infinity')
       AND ($6 IS NULL
            OR (v.activity_at, v.id) < (('epoch'::timestamp + ($6 / 1000000) * interval '1 second'
                                         + ($6 % 1000000) * interval '1 microsecond')
                                        AT TIME ZONE 'UTC', $7::bigint))
       AND v.activity_at >= (SELECT coalesce(min(e.activity_at), '-infinity') FROM edge e)
       AND (NOT EXISTS (SELECT 1 FROM edge)
            OR (v.activity_at, v.id) >= (SELECT e.activity_at, e.id FROM edge e))
       AND coalesce((SELECT true FROM contacts c
                      WHERE c.id = v.contact_id
                        AND (c.name ILIKE $9 OR c.profile_name ILIKE $9
                             OR c.phone LIKE '%' || $10::text || '%'
                             OR c.phone LIKE '%' || $11::text || '%')
                      LIMIT 1),
                    (SELECT true FROM messages m
                      WHERE m.tenant_id = v.tenant_id AND m.conversation_id = v.id
                        AND m.body ILIKE $9
                      LIMIT 1),
                    false)
     ORDER BY v.activity_at DESC, v.id DESC
     LIMIT $8)
SELECT e.scanned_us, e.scanned_id, i.*,
       (extract(epoch FROM i.activity_at) * 1000000)::bigint AS activity_us,
       (SELECT count(*) FROM (SELECT 1 FROM messages m
                               WHERE m.tenant_id = i.tenant_id AND m.conversation_id = i.id
                                 AND m.direction = 'in'
                                 AND m.id > coalesce(r.last_read_message_id, 0)
                               LIMIT 1000) u) AS unread_count
  FROM (SELECT (SELECT (extract(epoch FROM activity_at) * 1000000)::bigint FROM edge) AS scanned_us,
               (SELECT id FROM edge) AS scanned_id) e
  LEFT JOIN (page p
             JOIN inbox_conversations i ON i.id = p.id
             LEFT JOIN conversation_reads r
                    ON r.tenant_id = i.tenant_id AND r.conversation_id = i.id AND r.user_id = $1)
         ON true
 ORDER BY p.activity_at DESC, p.id DESC;

-- name: inbox_get
-- Conversation $2 as user $1 sees it in the inbox, with the contact's details.
SELECT i.*, (extract(epoch FROM i.activity_at) * 1000000)::bigint AS activity_us,
       (SELECT count(*) FROM (SELECT 1 FROM messages m
                               WHERE m.tenant_id = i.tenant_id AND m.conversation_id = i.id
                                 AND m.direction = 'in'
                                 AND m.id > coalesce(r.last_read_message_id, 0)
                               LIMIT 1000) u) AS unread_count,
       c.user_id AS contact_user_id, c.last_inbound_at, c.marketing_opt_out_at,
       c.created_at AS contact_created_at,
       (SELECT coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color)
                                 ORDER BY lower(l.name)), '[]')
          FROM contact_labels cl
          JOIN labels l ON l.tenant_id = cl.tenant_id AND l.id = cl.label_id
         WHERE cl.tenant_id = i.tenant_id AND cl.contact_id = i.contact_id) AS contact_labels
  FROM inbox_conversations i
  JOIN contacts c ON c.tenant_id = i.tenant_id AND c.id = i.contact_id
  LEFT JOIN conversation_reads r
         ON r.tenant_id = i.tenant_id AND r.conversation_id = i.id AND r.user_id = $1
 WHERE i.id = $2;

-- name: inbox_lock
-- Conversation $1's status, locked for a change.
SELECT id, status, snoozed_until FROM conversations WHERE id = $1 FOR UPDATE;

-- name: inbox_set_status
-- Status $2 of conversation $1; snoozed_until $3 (only kept when snoozed); resolved_at follows.
UPDATE conversations
   SET status = $2,
       snoozed_until = CASE WHEN $2 = 'snoozed' THEN $3::timestamptz END,
       resolved_at = CASE WHEN $2 = 'resolved' THEN coalesce(resolved_at, now()) END
 WHERE id = $1;

-- name: inbox_snooze_in_future
-- Whether time $1 lies in the future (and within a year).
SELECT $1::timestamptz > now() AND $1::timestamptz < now() + interval '366 days' AS ok;

-- name: inbox_set_priority
UPDATE conversations SET priority = $2 WHERE id = $1;

-- name: inbox_labels_clear
DELETE FROM conversation_labels WHERE conversation_id = $1;

-- name: inbox_labels_set
-- Labels $2 (a JSON array of ids) on conversation $1; returns how many exist and were set.
INSERT INTO conversation_labels (tenant_id, conversation_id, label_id)
SELECT laris_current_tenant(), $1, l.id
  FROM labels l
 WHERE l.id IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint)
RETURNING label_id;

-- name: inbox_mark_read
-- Marks conversation $1 read by user $2 up to its latest message.
INSERT INTO conversation_reads (tenant_id, conversation_id, user_id, last_read_message_id)
SELECT v.tenant_id, v.id, $2,
       coalesce((SELECT max(m.id) FROM messages m
                  WHERE m.tenant_id = v.tenant_id AND m.conversation_id = v.id), 0)
  FROM conversations v
 WHERE v.id = $1
ON CONFLICT (tenant_id, conversation_id, user_id) DO UPDATE
   SET last_read_message_id = greatest(conversation_reads.last_read_message_id,
                                       EXCLUDED.last_read_message_id),
       read_at = now()
RETURNING last_read_message_id;

-- name: inbox_exists
SELECT id FROM conversations WHERE id = $1;

-- name: notes_insert
INSERT INTO conversation_notes (tenant_id, conversation_id, author_id, body)
VALUES (laris_current_tenant(), $1, $2, $3)
RETURNING id;

-- name: notes_list
-- One page of conversation $1's notes after note $2, oldest first, with their authors.
SELECT n.id, n.conversation_id, n.body, n.created_at, n.author_id, u.name AS author_name
  FROM conversation_notes n
  LEFT JOIN users u ON u.tenant_id = n.tenant_id AND u.id = n.author_id
 WHERE n.conversation_id = $1 AND n.id > $2
 ORDER BY n.id
 LIMIT $3;

-- name: labels_list
SELECT id, name, color, created_at FROM labels WHERE id > $1 ORDER BY id LIMIT $2;

-- name: labels_get
SELECT id, name, color, created_at FROM labels WHERE id = $1;

-- name: labels_insert
INSERT INTO labels (tenant_id, name, color) VALUES (laris_current_tenant(), $1, $2)
RETURNING id, name, color, created_at;

-- name: labels_update
UPDATE labels SET name = coalesce($2, name), color = coalesce($3, color) WHERE id = $1
RETURNING id, name, color, created_at;

-- name: labels_delete
DELETE FROM labels WHERE id = $1 RETURNING id;

-- name: contact_exists
SELECT id FROM contacts WHERE id = $1 AND deleted_at IS NULL;

-- name: contact_labels_clear
DELETE FROM contact_labels WHERE contact_id = $1;

-- name: contact_labels_set
-- Labels $2 (a JSON array of ids) on contact $1; returns those that exist and were set.
INSERT INTO contact_labels (tenant_id, contact_id, label_id)
SELECT laris_current_tenant(), $1, l.id
  FROM labels l
 WHERE l.id IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint)
RETURNING label_id;

-- name: contact_labels_list
SELECT l.id, l.name, l.color
  FROM contact_labels cl
  JOIN labels l ON l.tenant_id = cl.tenant_id AND l.id = cl.label_id
 WHERE cl.contact_id = $1
 ORDER BY lower(l.name);

-- name: quick_replies_list
-- One page of quick replies after id $1 whose shortcut starts with $3 (NULL: all).
SELECT id, shortcut, body, created_at, updated_at FROM quick_replies
 WHERE id > $1 AND ($3::text IS NULL OR left(shortcut, length($3)) = $3)
 ORDER BY id
 LIMIT $2;

-- name: quick_replies_get
SELECT id, shortcut, body, created_at, updated_at FROM quick_replies WHERE id = $1;

-- name: quick_replies_insert
INSERT INTO quick_replies (tenant_id, shortcut, body, created_by)
VALUES (laris_current_tenant(), $1, $2, $3)
RETURNING id, shortcut, body, created_at, updated_at;

-- name: quick_replies_update
UPDATE quick_replies
   SET shortcut = coalesce($2, shortcut), body = coalesce($3, body), updated_at = now()
 WHERE id = $1
RETURNING id, shortcut, body, created_at, updated_at;

-- name: quick_replies_delete
DELETE FROM quick_replies WHERE id = $1 RETURNING id;

-- name: quick_replies_match
-- Up to 20 quick replies whose shortcut starts with $1, shortest first.
SELECT id, shortcut, body FROM quick_replies
 WHERE left(shortcut, length($1)) = $1
 ORDER BY length(shortcut), shortcut
 LIMIT 20;

-- name: quick_replies_context
-- The variables' values for conversation $1 and user $2: contact name, profile name, the
-- agent's name and the business's name.
SELECT c.name AS contact_name, c.profile_name, u.name AS agent_name, t.name AS business_name
  FROM conversations v
  JOIN contacts c ON c.tenant_id = v.tenant_id AND c.id = v.contact_id
  JOIN tenants t ON t.id = v.tenant_id
  LEFT JOIN users u ON u.tenant_id = v.tenant_id AND u.id = $2
 WHERE v.id = $1;

-- name: worker_wake_snoozed
SELECT tenant_id, conversation_id FROM conversations_wake_snoozed($1::integer);

-- name: inbox_search_timeout
-- The session's statement_timeout: $1 milliseconds for a search, NULL for the role's default.
SELECT set_config('statement_timeout',
                  coalesce($1::text, (SELECT reset_val FROM pg_settings
                                       WHERE name = 'statement_timeout')), false) AS ms;
