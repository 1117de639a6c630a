-- Inbox search that stays fast on a large tenant (see laris_inbox_list in src/crm/inbox.c), and
-- an inbox list whose plan is made once.
--
-- A search walks the newest conversations in bounded batches, checking each one (its contact,
-- then its messages) and stopping as soon as a page is full: a common word fills a page from
-- the newest few dozen conversations without reading every message that holds it. When the
-- first batch does not fill the page, the trigram indexes are asked, capped at 2,000 matching
-- contacts and as many matching messages: a rare term is answered exactly from them; past a
-- cap the walk goes on. inbox_search_matches (0008) read every matching message, which took
-- seconds for a common word; it is replaced by the two capped functions below.

DROP FUNCTION inbox_search_matches(text, text, text);

-- Ingest: every message moves its conversation's last_message_at and activity_at, so each one
-- writes a new entry into every index of conversations (no HOT update). The two indexes on
-- last_message_at (0005) serve no statement since the list sorts by activity_at (0008): gone.
-- Search by name or phone finds conversations by contact, which only the partial
-- conversations_one_open_idx served: one plain index instead. Net: one index entry fewer per
-- message.
DROP INDEX conversations_inbox_idx;
DROP INDEX conversations_assignee_idx;
CREATE INDEX conversations_contact_idx ON conversations (tenant_id, contact_id);

-- Up to p_cap (at most 10,000) conversations of the current tenant whose contact's name or
-- profile name matches ILIKE pattern p_like, or whose phone contains p_digits or p_normalized
-- (NULL: no phone search). The caller asks for one more than it accepts: that many rows means
-- the term is too common for the index.
-- SECURITY DEFINER (its owner bypasses RLS) because under RLS PostgreSQL may not use the
-- trigram indexes for ILIKE (not a leakproof operator); the tenant filter is therefore
-- explicit here. PL/pgSQL planned for each call's values (force_custom_plan): with the pattern
-- unknown, PostgreSQL's generic plan reads far more of the indexes (10 to 20 times slower).
CREATE FUNCTION inbox_search_contacts(p_like text, p_digits text, p_normalized text,
                                      p_cap integer)
    RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    SET plan_cache_mode = force_custom_plan
    ROWS 20
    AS $$
BEGIN
    IF p_digits IS NULL THEN
        RETURN QUERY
        SELECT v.id FROM public.conversations v
         WHERE v.tenant_id = public.laris_current_tenant()
           AND v.contact_id IN (
                SELECT c.id FROM public.contacts c
                 WHERE c.tenant_id = public.laris_current_tenant()
                   AND (c.name ILIKE p_like OR c.profile_name ILIKE p_like))
         LIMIT least(greatest(p_cap, 0), 10000);
    ELSE
        RETURN QUERY
        SELECT v.id FROM public.conversations v
         WHERE v.tenant_id = public.laris_current_tenant()
           AND v.contact_id IN (
                SELECT c.id FROM public.contacts c
                 WHERE c.tenant_id = public.laris_current_tenant()
                   AND (c.name ILIKE p_like OR c.profile_name ILIKE p_like
                        OR c.phone LIKE '%' || p_digits || '%'
                        OR c.phone LIKE '%' || p_normalized || '%'))
         LIMIT least(greatest(p_cap, 0), 10000);
    END IF;
END
$$;
REVOKE ALL ON FUNCTION inbox_search_contacts(text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_search_contacts(text, text, text, integer) TO laris_app;

-- The conversations of up to p_cap messages of the current tenant whose body matches ILIKE
-- pattern p_like (a conversation once per matching message; p_cap at most 10,000), through
-- messages_body_trgm_idx; the cap as above. SECURITY DEFINER and planned per call as above.
CREATE FUNCTION inbox_search_messages(p_like text, p_cap integer)
    RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    SET plan_cache_mode = force_custom_plan
    ROWS 100
    AS $$
BEGIN
    RETURN QUERY
    SELECT m.conversation_id FROM public.messages m
     WHERE m.tenant_id = public.laris_current_tenant()
       AND m.body IS NOT NULL AND m.body ILIKE p_like
     LIMIT least(greatest(p_cap, 0), 10000);
END
$$;
REVOKE ALL ON FUNCTION inbox_search_messages(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_search_messages(text, integer) TO laris_app;

-- One inbox page (GET /api/v1/conversations without q): inbox_list's statement as a function
-- so that its plan is made once per connection. As a prepared statement, PostgreSQL kept
-- planning it anew on every request (its optional filters make the generic plan look costlier
-- than the custom one), which cost more than running it. The generic plan walks
-- conversations_activity_idx newest first and stops after p_limit rows, whatever the filters.
-- Rows of user p_user's inbox: status p_status (NULL: any), assignee mode p_assignee ('any',
-- 'none', 'user' with p_assignee_id), label p_label (NULL: any), before keyset cursor
-- (p_after_us microseconds since 1970, p_after_id) (NULL: from the top). Runs as the caller,
-- under its RLS. unread_count: the caller's unread inbound messages (up to 1,000), not counted
-- at all when the caller has read the last message.
CREATE FUNCTION inbox_page(p_user bigint, p_status text, p_assignee text, p_assignee_id bigint,
                           p_label bigint, p_after_us bigint, p_after_id bigint,
                           p_limit integer)
    RETURNS TABLE (conversation inbox_conversations, activity_us bigint, unread_count bigint)
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_generic_plan
    AS $$
#variable_conflict use_column
DECLARE
    -- The cursor's time as a value of its own: compared with activity_at it is an index
    -- condition (an expression of non-leakproof functions would only filter, under RLS).
    v_before timestamptz := coalesce('epoch'::timestamptz
                                     + (p_after_us / 1000000) * interval '1 second'
                                     + (p_after_us % 1000000) * interval '1 microsecond',
                                     'infinity');
BEGIN
    RETURN QUERY
    WITH page AS (
        -- Two branches, so that one person's conversations come from
        -- conversations_assignee_activity_idx; the first condition of each depends on the
        -- parameters alone, so the plan runs only the branch that applies.
        (SELECT v.id, v.activity_at FROM public.conversations v
          WHERE p_assignee = 'user'
            AND v.assignee_id = p_assignee_id
            AND (p_status IS NULL OR v.status = p_status)
            AND (p_label IS NULL OR EXISTS (
                    SELECT 1 FROM public.conversation_labels cl
                     WHERE cl.tenant_id = v.tenant_id AND cl.conversation_id = v.id
                       AND cl.label_id = p_label))
            AND v.activity_at <= v_before
            AND (p_after_us IS NULL OR (v.activity_at, v.id) < (v_before, p_after_id))
          ORDER BY v.activity_at DESC, v.id DESC
          LIMIT p_limit)
        UNION ALL
        (SELECT v.id, v.activity_at FROM public.conversations v
          WHERE p_assignee <> 'user'
            AND (p_assignee = 'any' OR v.assignee_id IS NULL)
            AND (p_status IS NULL OR v.status = p_status)
            AND (p_label IS NULL OR EXISTS (
                    SELECT 1 FROM public.conversation_labels cl
                     WHERE cl.tenant_id = v.tenant_id AND cl.conversation_id = v.id
                       AND cl.label_id = p_label))
            AND v.activity_at <= v_before
            AND (p_after_us IS NULL OR (v.activity_at, v.id) < (v_before, p_after_id))
          ORDER BY v.activity_at DESC, v.id DESC
          LIMIT p_limit))
    SELECT i, (extract(epoch FROM i.activity_at) * 1000000)::bigint,
           CASE WHEN i.last_message_id <= coalesce(r.last_read_message_id, 0) THEN 0
                ELSE (SELECT count(*) FROM (SELECT 1 FROM public.messages m
                                             WHERE m.tenant_id = i.tenant_id
                                               AND m.conversation_id = i.id
                                               AND m.direction = 'in'
                                               AND m.id > coalesce(r.last_read_message_id, 0)
                                             LIMIT 1000) u) END
      FROM page p
      JOIN public.inbox_conversations i ON i.id = p.id
      LEFT JOIN public.conversation_reads r
             ON r.tenant_id = i.tenant_id AND r.conversation_id = i.id AND r.user_id = p_user
     ORDER BY p.activity_at DESC, p.id DESC;
END
$$;
REVOKE ALL ON FUNCTION inbox_page(bigint, text, text, bigint, bigint, bigint, bigint, integer)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_page(bigint, text, text, bigint, bigint, bigint, bigint, integer)
    TO laris_app;
