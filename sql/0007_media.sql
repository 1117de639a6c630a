-- Media files: what inbound media messages carry (fetched by laris-worker from Graph) and what
-- agents upload (stored, then uploaded to Graph for a reply). One row per file per tenant.
--
-- Inbound: a trigger on messages makes a 'pending' row whenever an inbound message with a Graph
-- media id lands, so the webhook path needs no statement of its own. laris-worker (role
-- laris_worker, no table privileges) claims due rows through media_claim and records the
-- outcome through media_result: 'stored' (bytes on disk, sha256 checked), 'pending' again for a
-- transient error (retried with backoff), 'failed' (Graph refused, or too many attempts) or
-- 'refused' (a URL on another host, a hash mismatch, a file too large: never fetched again).
--
-- Files live under LARIS_MEDIA_DIR, named by their content (sha256 in hex); path is relative
-- to that directory and never comes from input.

CREATE TABLE media (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    direction        text NOT NULL CHECK (direction IN ('in', 'out')),
    message_id       bigint,
    wa_number_id     bigint,
    graph_media_id   text CHECK (graph_media_id ~ '^[0-9A-Za-z._-]{1,128}$'),
    mime_type        text CHECK (length(mime_type) <= 255),
    filename         text CHECK (length(filename) <= 255),
    sha256           text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size             bigint CHECK (size >= 0),
    path             text CHECK (path ~ '^[0-9a-f]{2}/[0-9a-f]{64}$'),
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'stored', 'failed', 'refused')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    error            text,
    uploaded_by      bigint,
    created_at       timestamptz NOT NULL DEFAULT now(),
    stored_at        timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (status <> 'stored' OR (path IS NOT NULL AND sha256 IS NOT NULL AND size IS NOT NULL)),
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, wa_number_id) REFERENCES wa_numbers (tenant_id, id)
);
CREATE UNIQUE INDEX media_message_idx ON media (tenant_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX media_due_idx ON media (next_attempt_at) WHERE status = 'pending';

ALTER TABLE media ENABLE ROW LEVEL SECURITY;
ALTER TABLE media FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON media
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));
GRANT SELECT, INSERT ON media TO laris_app;

-- An inbound message with a media id gets its pending media row (same transaction, same
-- tenant: the insert runs under the webhook's RLS setting).
CREATE FUNCTION media_from_message() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    IF NEW.direction = 'in' AND NEW.media_id IS NOT NULL
       AND NEW.media_id ~ '^[0-9A-Za-z._-]{1,128}$' THEN
        INSERT INTO public.media (tenant_id, direction, message_id, wa_number_id, graph_media_id,
                                  mime_type, filename)
        VALUES (NEW.tenant_id, 'in', NEW.id, NEW.wa_number_id, NEW.media_id,
                left(NEW.raw -> NEW.type ->> 'mime_type', 255),
                left(NEW.raw -> NEW.type ->> 'filename', 255));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER media_from_message AFTER INSERT ON messages
    FOR EACH ROW WHEN (NEW.direction = 'in' AND NEW.media_id IS NOT NULL)
    EXECUTE FUNCTION media_from_message();

-- The worker: up to p_limit pending rows that are due, leased for 10 minutes (a worker that
-- dies mid-fetch leaves the row due again then), with what the Graph requests need.
CREATE FUNCTION media_claim(p_limit integer)
    RETURNS TABLE (tenant_id bigint, media_id bigint, graph_media_id text, attempts integer,
                   phone_number_id text, access_token_enc bytea)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
        WITH picked AS (
            SELECT m.tenant_id, m.id FROM public.media m
             WHERE m.status = 'pending' AND m.direction = 'in' AND m.next_attempt_at <= now()
             ORDER BY m.next_attempt_at
             LIMIT greatest(least(p_limit, 100), 1)
               FOR UPDATE SKIP LOCKED
        ), leased AS (
            UPDATE public.media m
               SET attempts = m.attempts + 1, next_attempt_at = now() + interval '10 minutes'
              FROM picked
             WHERE m.tenant_id = picked.tenant_id AND m.id = picked.id
            RETURNING m.tenant_id, m.id, m.graph_media_id, m.attempts, m.wa_number_id
        )
        SELECT l.tenant_id, l.id, l.graph_media_id, l.attempts, n.phone_number_id,
               n.access_token_enc
          FROM leased l
          LEFT JOIN public.wa_numbers n ON n.tenant_id = l.tenant_id AND n.id = l.wa_number_id
    $$;

-- The worker: the outcome of a fetch. 'pending' retries after p_retry_seconds; the others are
-- final. False when the row is not pending (recorded already).
CREATE FUNCTION media_result(p_tenant bigint, p_media bigint, p_status text, p_mime text,
                             p_sha256 text, p_size bigint, p_path text, p_error text,
                             p_retry_seconds integer)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    IF p_status NOT IN ('pending', 'stored', 'failed', 'refused') THEN
        RAISE EXCEPTION 'not an outcome: %', p_status USING ERRCODE = '22023';
    END IF;
    UPDATE public.media
       SET status = p_status,
           mime_type = coalesce(left(p_mime, 255), mime_type),
           sha256 = CASE WHEN p_status = 'stored' THEN p_sha256 END,
           size = coalesce(p_size, size),
           path = CASE WHEN p_status = 'stored' THEN p_path END,
           stored_at = CASE WHEN p_status = 'stored' THEN now() END,
           error = left(p_error, 500),
           next_attempt_at = now() + make_interval(secs => greatest(coalesce(p_retry_seconds, 0), 0))
     WHERE tenant_id = p_tenant AND id = p_media AND status = 'pending';
    RETURN FOUND;
END $$;

REVOKE ALL ON FUNCTION media_claim(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION media_result(bigint, bigint, text, text, text, bigint, text, text, integer)
    FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_worker') THEN
        GRANT EXECUTE ON FUNCTION media_claim(integer) TO laris_worker;
        GRANT EXECUTE ON FUNCTION media_result(bigint, bigint, text, text, text, bigint, text,
                                               text, integer) TO laris_worker;
    END IF;
END $$;
