-- The inbox list carries each conversation's SLA figures, so that the web inbox shows its
-- "Segera balas" / "Lewat batas" badge from the list itself (after a reload too), not only from
-- the sla.warning events received since the page opened.
--
-- inbox_conversations (0008) gains, at its end, the conversation's own SLA columns (0012): no
-- join or subquery more per row. inbox_page() (0019) returns the view's row type, so its rows
-- gain them as well; inbox_search, inbox_search_batch and inbox_get select i.*.
-- CREATE OR REPLACE VIEW replaces the view's options with those given: security_invoker is
-- restated so that the caller's RLS still applies.

CREATE OR REPLACE VIEW inbox_conversations WITH (security_invoker = true) AS
SELECT v.tenant_id, v.id, v.status, v.priority, v.snoozed_until, v.last_message_at, v.opened_at,
       v.activity_at, v.assignee_id, u.name AS assignee_name,
       v.contact_id, c.name AS contact_name, c.profile_name, c.phone, c.wa_id,
       lm.id AS last_message_id, lm.direction AS last_direction, lm.type AS last_type,
       left(lm.body, 200) AS last_preview, lm.status AS last_status, lm.created_at AS last_at,
       (SELECT coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color)
                                 ORDER BY lower(l.name)), '[]')
          FROM conversation_labels cl
          JOIN labels l ON l.tenant_id = cl.tenant_id AND l.id = cl.label_id
         WHERE cl.tenant_id = v.tenant_id AND cl.conversation_id = v.id) AS labels,
       v.first_inbound_at, v.first_response_at, v.sla_due_at, v.sla_warned_at, v.sla_breached_at,
       v.first_response_seconds, v.first_response_business_seconds, v.resolution_seconds,
       v.resolution_business_seconds
  FROM conversations v
  JOIN contacts c ON c.tenant_id = v.tenant_id AND c.id = v.contact_id
  LEFT JOIN users u ON u.tenant_id = v.tenant_id AND u.id = v.assignee_id
  LEFT JOIN LATERAL (
        SELECT m.id, m.direction, m.type, m.body, m.status, m.created_at
          FROM messages m
         WHERE m.tenant_id = v.tenant_id AND m.conversation_id = v.id
         ORDER BY m.id DESC
         LIMIT 1) lm ON true;
