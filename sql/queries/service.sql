-- Statements for business hours, automatic replies and SLA: the settings, keyword rules and a
-- chat's SLA (crm/service.c, as laris_app under the tenant), and laris-worker's auto-replier and
-- SLA clock (src/worker/autoreply.c, sla.c, as laris_worker through the SECURITY DEFINER
-- autoreply_* / sla_* functions only).

-- name: service_settings_get
-- The tenant's service settings (the defaults when it has no row yet) and its time zone.
SELECT t.timezone, s.business_hours, coalesce(to_jsonb(s.closed_dates), '[]')::text AS closed_dates,
       coalesce(s.greeting_enabled, false) AS greeting_enabled, s.greeting_text,
       coalesce(s.away_enabled, false) AS away_enabled, s.away_text,
       coalesce(s.sla_first_response_seconds, 300) AS sla_first_response_seconds,
       s.sla_out_of_hours_seconds,
       coalesce(s.sla_warning_seconds, 60) AS sla_warning_seconds,
       coalesce(s.sla_auto_escalate, false) AS sla_auto_escalate
  FROM tenants t
  LEFT JOIN tenant_settings s ON s.tenant_id = t.id
 WHERE t.id = laris_current_tenant();

-- name: service_settings_put
-- Every service setting at once (the caller merged the change into the current ones).
INSERT INTO tenant_settings (tenant_id, business_hours, closed_dates, greeting_enabled,
                             greeting_text, away_enabled, away_text, sla_first_response_seconds,
                             sla_out_of_hours_seconds, sla_warning_seconds, sla_auto_escalate)
VALUES (laris_current_tenant(), $1::jsonb,
        ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::date), $3::boolean, $4, $5::boolean, $6,
        $7::integer, $8::integer, $9::integer, $10::boolean)
ON CONFLICT (tenant_id) DO UPDATE
   SET business_hours = EXCLUDED.business_hours, closed_dates = EXCLUDED.closed_dates,
       greeting_enabled = EXCLUDED.greeting_enabled, greeting_text = EXCLUDED.greeting_text,
       away_enabled = EXCLUDED.away_enabled, away_text = EXCLUDED.away_text,
       sla_first_response_seconds = EXCLUDED.sla_first_response_seconds,
       sla_out_of_hours_seconds = EXCLUDED.sla_out_of_hours_seconds,
       sla_warning_seconds = EXCLUDED.sla_warning_seconds,
       sla_auto_escalate = EXCLUDED.sla_auto_escalate, updated_at = now();

-- name: auto_replies_list
SELECT id, to_jsonb(keywords)::text AS keywords, match, reply_text, active, created_at, updated_at
  FROM auto_replies
 WHERE id > $1
 ORDER BY id
 LIMIT $2;

-- name: auto_replies_get
SELECT id, to_jsonb(keywords)::text AS keywords, match, reply_text, active, created_at, updated_at
  FROM auto_replies
 WHERE id = $1;

-- name: auto_replies_count
SELECT count(*) AS n FROM auto_replies;

-- name: auto_replies_insert
INSERT INTO auto_replies (tenant_id, keywords, keywords_norm, match, reply_text, active)
VALUES (laris_current_tenant(), ARRAY(SELECT jsonb_array_elements_text($1::jsonb)),
        ARRAY(SELECT jsonb_array_elements_text($2::jsonb)), $3, $4, $5::boolean)
RETURNING id;

-- name: auto_replies_update
-- Every field at once (the caller merged the change into the current rule).
UPDATE auto_replies
   SET keywords = ARRAY(SELECT jsonb_array_elements_text($2::jsonb)),
       keywords_norm = ARRAY(SELECT jsonb_array_elements_text($3::jsonb)), match = $4, reply_text = $5,
       active = $6::boolean, updated_at = now()
 WHERE id = $1
RETURNING id;

-- name: auto_replies_delete
DELETE FROM auto_replies WHERE id = $1 RETURNING id;

-- name: conversation_sla_get
SELECT id, first_inbound_at, first_response_at, sla_due_at, sla_warned_at, sla_breached_at,
       first_response_seconds, first_response_business_seconds, resolution_seconds,
       resolution_business_seconds
  FROM conversations
 WHERE id = $1;

-- name: autoreply_claim
SELECT tenant_id, message_id, conversation_id, body, extract(epoch FROM received_at)::bigint
           AS received_at,
       first_message, opted_out, can_reply, needs_due, timezone, business_hours, closed_dates,
       greeting_enabled, away_enabled, sla_first_response_seconds, sla_out_of_hours_seconds,
       has_rules
  FROM autoreply_claim($1::integer);

-- name: autoreply_rules
SELECT id, match, to_jsonb(keywords_norm)::text AS keywords_norm FROM autoreply_rules($1::bigint);

-- name: autoreply_send
SELECT autoreply_send($1::bigint, $2::bigint, $3, $4, $5) AS message_id;

-- name: sla_set_due
SELECT sla_set_due($1::bigint, $2::bigint, to_timestamp($3::bigint));

-- name: sla_sweep
SELECT sla_sweep() AS events;

-- name: sla_times_pending
SELECT tenant_id, conversation_id, extract(epoch FROM first_inbound_at)::bigint AS first_inbound_at,
       extract(epoch FROM first_response_at)::bigint AS first_response_at,
       extract(epoch FROM resolved_at)::bigint AS resolved_at, timezone, business_hours,
       closed_dates
  FROM sla_times_pending($1::integer);

-- name: sla_times_record
SELECT sla_times_record($1::bigint, $2::bigint, $3::bigint, $4::bigint);
