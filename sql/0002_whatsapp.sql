-- WhatsApp channel, webhook in: connected numbers, contacts, conversations, messages, statuses
-- that arrive before their message, raw webhook events and the errors they report.
--
-- Every table is a tenant table (RLS enabled and forced, tenant_id leads every key) except
-- wa_number_routes, the platform map from Meta's phone_number_id to its tenant, which works
-- like login_emails: kept by a trigger, readable only by the SECURITY DEFINER routing functions.
--
-- Left for later: messages is a plain table; partitioning it by month (tenant_id, created_at)
-- comes with the volume.

CREATE TABLE wa_numbers (
    tenant_id             bigint NOT NULL REFERENCES tenants (id),
    id                    bigint GENERATED ALWAYS AS IDENTITY,
    phone_number_id       text NOT NULL CHECK (phone_number_id ~ '^[0-9]{1,32}$'),
    waba_id               text NOT NULL CHECK (waba_id ~ '^[0-9]{1,32}$'),
    display_phone_number  text CHECK (display_phone_number ~ '^[1-9][0-9]{6,14}$'),
    -- Secrets encrypted at rest (libsodium secretbox: nonce || box, key LARIS_SECRET_KEY).
    access_token_enc      bytea,
    app_secret_enc        bytea,
    verify_token          text,
    throughput_mps        integer NOT NULL DEFAULT 80 CHECK (throughput_mps BETWEEN 1 AND 1000),
    status                text NOT NULL DEFAULT 'active'
                          CHECK (status IN ('active', 'disconnected', 'disabled')),
    created_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, phone_number_id)
);

-- A phone_number_id belongs to one tenant across the platform. Only the trigger below and the
-- routing functions touch this map.
CREATE TABLE wa_number_routes (
    phone_number_id  text PRIMARY KEY,
    waba_id          text NOT NULL,
    tenant_id        bigint NOT NULL,
    wa_number_id     bigint NOT NULL,
    UNIQUE (tenant_id, wa_number_id),
    FOREIGN KEY (tenant_id, wa_number_id) REFERENCES wa_numbers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX wa_number_routes_waba_idx ON wa_number_routes (waba_id);

CREATE TABLE contacts (
    tenant_id             bigint NOT NULL REFERENCES tenants (id),
    id                    bigint GENERATED ALWAYS AS IDENTITY,
    wa_id                 text CHECK (wa_id <> ''),
    phone                 text CHECK (phone ~ '^[1-9][0-9]{6,14}$'),
    name                  text CHECK (length(name) <= 200),
    profile_name          text,
    user_id               text CHECK (user_id <> '' AND length(user_id) <= 256),
    marketing_opt_out_at  timestamptz,
    marketing_pref_at     timestamptz,
    last_inbound_at       timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, wa_id),
    UNIQUE (tenant_id, user_id),
    CHECK (wa_id IS NOT NULL OR user_id IS NOT NULL)
);

CREATE TABLE conversations (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    contact_id       bigint NOT NULL,
    wa_number_id     bigint,
    status           text NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'pending', 'resolved', 'snoozed')),
    opened_at        timestamptz NOT NULL DEFAULT now(),
    last_message_at  timestamptz,
    resolved_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id),
    FOREIGN KEY (tenant_id, wa_number_id) REFERENCES wa_numbers (tenant_id, id)
);
-- One conversation that is not resolved per contact.
CREATE UNIQUE INDEX conversations_one_open_idx ON conversations (tenant_id, contact_id)
    WHERE status <> 'resolved';

-- The order a message's status moves in: sent < delivered < read < played. failed is terminal
-- and replaces only sent and delivered (the user saw a read message). NULL: no status yet.
-- The same rule as laris_wa_status_advances() in src/wa.
CREATE FUNCTION wa_status_rank(p_status text) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE p_status WHEN 'accepted' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2
                               WHEN 'read' THEN 3 WHEN 'played' THEN 4 WHEN 'failed' THEN 5
                 END::smallint $$;

CREATE FUNCTION wa_status_advances(p_current text, p_next text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE
                     WHEN wa_status_rank(p_next) IS NULL THEN false
                     WHEN p_current IS NULL THEN true
                     WHEN p_current = 'failed' THEN false
                     WHEN p_next = 'failed' THEN p_current IN ('accepted', 'sent', 'delivered')
                     ELSE wa_status_rank(p_next) > wa_status_rank(p_current)
                 END $$;

CREATE TABLE messages (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    conversation_id  bigint NOT NULL,
    contact_id       bigint NOT NULL,
    wa_number_id     bigint,
    direction        text NOT NULL CHECK (direction IN ('in', 'out')),
    wamid            text CHECK (wamid <> ''),
    type             text NOT NULL,
    body             text,
    media_id         text,
    reply_to_wamid   text,
    raw              jsonb,
    status           text CHECK (status IS NULL OR wa_status_rank(status) IS NOT NULL),
    status_rank      smallint GENERATED ALWAYS AS (wa_status_rank(status)) STORED,
    status_at        timestamptz,
    error_code       integer,
    error_title      text,
    wa_timestamp     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, wamid),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id),
    FOREIGN KEY (tenant_id, wa_number_id) REFERENCES wa_numbers (tenant_id, id)
);
CREATE INDEX messages_conversation_idx ON messages (tenant_id, conversation_id, id);

-- Statuses for a wamid we have no message for yet (a send whose answer is still on its way);
-- one row per wamid holding the furthest status, applied when the message is created.
CREATE TABLE wa_pending_statuses (
    tenant_id    bigint NOT NULL REFERENCES tenants (id),
    wamid        text NOT NULL,
    status       text NOT NULL CHECK (wa_status_rank(status) IS NOT NULL),
    error_code   integer,
    error_title  text,
    at           timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, wamid)
);

-- Every webhook change as received, per tenant, for replay and audit. body_hash (SHA-256 of the
-- change as compact JSON) makes a redelivered change a no-op.
CREATE TABLE webhook_events (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    phone_number_id  text,
    waba_id          text,
    field            text NOT NULL,
    body_hash        text NOT NULL CHECK (body_hash ~ '^[0-9a-f]{64}$'),
    raw              jsonb NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, body_hash)
);
CREATE INDEX webhook_events_time_idx ON webhook_events (tenant_id, received_at DESC);

-- Errors a webhook reported: value-level (wamid NULL) and those of one message.
CREATE TABLE wa_errors (
    tenant_id         bigint NOT NULL REFERENCES tenants (id),
    id                bigint GENERATED ALWAYS AS IDENTITY,
    webhook_event_id  bigint NOT NULL,
    wamid             text,
    code              bigint NOT NULL,
    title             text,
    message           text,
    details           text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, webhook_event_id) REFERENCES webhook_events (tenant_id, id)
);
CREATE INDEX wa_errors_event_idx ON wa_errors (tenant_id, webhook_event_id);

-- A message that appears takes the status that waited for it (the invoker's RLS applies).
CREATE FUNCTION messages_apply_pending_status() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    p public.wa_pending_statuses%ROWTYPE;
BEGIN
    IF NEW.wamid IS NULL THEN
        RETURN NEW;
    END IF;
    DELETE FROM public.wa_pending_statuses
     WHERE tenant_id = NEW.tenant_id AND wamid = NEW.wamid
    RETURNING * INTO p;
    IF FOUND AND public.wa_status_advances(NEW.status, p.status) THEN
        NEW.status := p.status;
        NEW.status_at := p.at;
        IF p.status = 'failed' THEN
            NEW.error_code := p.error_code;
            NEW.error_title := p.error_title;
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER messages_pending_status BEFORE INSERT ON messages
    FOR EACH ROW EXECUTE FUNCTION messages_apply_pending_status();

-- Keeps wa_number_routes in step with wa_numbers; a phone_number_id taken by any tenant fails
-- with 23505.
CREATE FUNCTION wa_numbers_sync_route() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.wa_number_routes (phone_number_id, waba_id, tenant_id, wa_number_id)
            VALUES (NEW.phone_number_id, NEW.waba_id, NEW.tenant_id, NEW.id);
    ELSIF NEW.phone_number_id <> OLD.phone_number_id OR NEW.waba_id <> OLD.waba_id THEN
        UPDATE public.wa_number_routes
           SET phone_number_id = NEW.phone_number_id, waba_id = NEW.waba_id
         WHERE tenant_id = OLD.tenant_id AND wa_number_id = OLD.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER wa_numbers_route AFTER INSERT OR UPDATE OF phone_number_id, waba_id ON wa_numbers
    FOR EACH ROW EXECUTE FUNCTION wa_numbers_sync_route();

-- Webhook routing: the tenant and number a phone_number_id belongs to (no row when unknown).
CREATE FUNCTION wa_number_route(p_phone_number_id text)
    RETURNS TABLE (tenant_id bigint, wa_number_id bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$ SELECT r.tenant_id, r.wa_number_id FROM public.wa_number_routes r
           WHERE r.phone_number_id = p_phone_number_id $$;

-- Template events carry only the WABA id: the tenants (normally one) with a number in it, each
-- with its lowest number id.
CREATE FUNCTION wa_waba_route(p_waba_id text)
    RETURNS TABLE (tenant_id bigint, wa_number_id bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$ SELECT r.tenant_id, min(r.wa_number_id) FROM public.wa_number_routes r
           WHERE r.waba_id = p_waba_id GROUP BY r.tenant_id ORDER BY r.tenant_id $$;

-- Row-Level Security on the tenant tables.
ALTER TABLE wa_numbers ENABLE ROW LEVEL SECURITY;
ALTER TABLE wa_numbers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wa_numbers
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contacts
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversations
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON messages
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE wa_pending_statuses ENABLE ROW LEVEL SECURITY;
ALTER TABLE wa_pending_statuses FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wa_pending_statuses
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_events
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE wa_errors ENABLE ROW LEVEL SECURITY;
ALTER TABLE wa_errors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wa_errors
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

-- wa_number_routes: readable by nobody but its owner (RLS on, no policy), like login_emails.
ALTER TABLE wa_number_routes ENABLE ROW LEVEL SECURITY;
ALTER TABLE wa_number_routes FORCE ROW LEVEL SECURITY;

REVOKE ALL ON FUNCTION wa_numbers_sync_route() FROM PUBLIC;
REVOKE ALL ON FUNCTION wa_number_route(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION wa_waba_route(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wa_number_route(text) TO laris_app;
GRANT EXECUTE ON FUNCTION wa_waba_route(text) TO laris_app;

GRANT SELECT, INSERT, UPDATE ON wa_numbers, contacts, conversations, messages TO laris_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON wa_pending_statuses TO laris_app;
GRANT SELECT, INSERT ON webhook_events, wa_errors TO laris_app;
