-- Foundation: platform tables (resellers, plans, tenants), people (users, sessions, API
-- tokens), the audit log, Row-Level Security on every tenant table, and the few narrow
-- SECURITY DEFINER functions that cross tenants (signup, finding a login by email).
--
-- Roles (created by the stack scripts, not here): laris_owner owns everything and runs the
-- migrations; laris_app is what laris-api connects as: no BYPASSRLS, so it sees only the rows
-- of the tenant set with set_config('laris.tenant_id', $1, true) in its transaction.

-- The SECURITY DEFINER functions below must bypass RLS, so their owner (the migration role)
-- needs BYPASSRLS; say so at once rather than fail later in confusing ways.
DO $$
BEGIN
    IF NOT (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'the migration role % needs BYPASSRLS', current_user;
    END IF;
END $$;

-- Temporary tables could shadow the tables those functions use; nobody needs them.
DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;

-- The tenant of the current transaction, or NULL when none is set or it is not a positive id
-- (then no tenant row is visible).
CREATE FUNCTION laris_current_tenant() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
        SELECT CASE WHEN t > 0 THEN t END
          FROM (SELECT nullif(current_setting('laris.tenant_id', true), '')::bigint AS t) AS s
    $$;

CREATE TABLE resellers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email       text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE plans (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code              text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_-]{1,40}$'),
    name              text NOT NULL,
    max_agents        integer NOT NULL CHECK (max_agents > 0),
    max_contacts      integer NOT NULL CHECK (max_contacts > 0),
    monthly_messages  integer NOT NULL CHECK (monthly_messages >= 0),
    price_idr         bigint NOT NULL DEFAULT 0 CHECK (price_idr >= 0),
    created_at        timestamptz NOT NULL DEFAULT now()
);

INSERT INTO plans (code, name, max_agents, max_contacts, monthly_messages, price_idr) VALUES
    ('trial', 'Uji Coba', 3, 1000, 1000, 0),
    ('basic', 'Dasar', 5, 10000, 10000, 199000),
    ('pro', 'Pro', 20, 100000, 100000, 599000);

CREATE TABLE tenants (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reseller_id  bigint REFERENCES resellers (id),
    plan_id      bigint NOT NULL REFERENCES plans (id),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    timezone     text NOT NULL DEFAULT 'Asia/Jakarta',
    locale       text NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
    phone        text CHECK (phone ~ '^[1-9][0-9]{7,14}$'),
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    tenant_id            bigint NOT NULL REFERENCES tenants (id),
    id                   bigint GENERATED ALWAYS AS IDENTITY,
    email                text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role                 text NOT NULL CHECK (role IN ('owner', 'supervisor', 'agent')),
    password_hash        text NOT NULL,
    presence             text NOT NULL DEFAULT 'offline' CHECK (presence IN ('online', 'away', 'offline')),
    presence_at          timestamptz NOT NULL DEFAULT now(),
    max_chats            integer NOT NULL DEFAULT 10 CHECK (max_chats BETWEEN 1 AND 200),
    locale               text NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
    active               boolean NOT NULL DEFAULT true,
    password_changed_at  timestamptz NOT NULL DEFAULT now(),
    last_login_at        timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email)
);

-- A login is an email, unique across the platform. This table maps it to its tenant and user
-- so login can find the tenant first; only the trigger below and auth_find_login touch it.
CREATE TABLE login_emails (
    email      text PRIMARY KEY,
    tenant_id  bigint NOT NULL,
    user_id    bigint NOT NULL,
    UNIQUE (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE sessions (
    tenant_id     bigint NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    user_id       bigint NOT NULL,
    token_hash    text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    client_addr   text,
    user_agent    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX sessions_user_idx ON sessions (tenant_id, user_id) WHERE ended_at IS NULL;

CREATE TABLE api_keys (
    tenant_id     bigint NOT NULL REFERENCES tenants (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role          text NOT NULL CHECK (role IN ('owner', 'supervisor', 'agent')),
    token_hash    text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    token_hint    text NOT NULL,
    created_by    bigint NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);

-- tenant_id 0 marks platform actions (reseller and platform admin), which no tenant sees.
CREATE TABLE audit_log (
    tenant_id      bigint NOT NULL,
    id             bigint GENERATED ALWAYS AS IDENTITY,
    actor_user_id  bigint,
    actor_kind     text NOT NULL CHECK (actor_kind IN ('user', 'token', 'reseller', 'platform', 'system')),
    action         text NOT NULL,
    target_type    text,
    target_id      bigint,
    detail         jsonb NOT NULL DEFAULT '{}',
    request_id     text,
    client_addr    text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_time_idx ON audit_log (tenant_id, created_at DESC);

-- Row-Level Security: enabled and forced on every table that holds a tenant's rows.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = (SELECT laris_current_tenant()))
    WITH CHECK (id = (SELECT laris_current_tenant()));

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

-- login_emails is readable by nobody but its owner; RLS on with no policy for others.
ALTER TABLE login_emails ENABLE ROW LEVEL SECURITY;
ALTER TABLE login_emails FORCE ROW LEVEL SECURITY;

-- Keeps login_emails in step with users; a taken email fails with 23505 (unique violation).
-- (A deleted user's row goes by the foreign key's cascade.) The search path puts pg_temp last
-- so no temporary table can stand in for ours.
CREATE FUNCTION users_sync_login_email() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.login_emails (email, tenant_id, user_id)
            VALUES (NEW.email, NEW.tenant_id, NEW.id);
    ELSIF NEW.email <> OLD.email THEN
        UPDATE public.login_emails SET email = NEW.email
         WHERE tenant_id = OLD.tenant_id AND user_id = OLD.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER users_login_email AFTER INSERT OR UPDATE OF email ON users
    FOR EACH ROW EXECUTE FUNCTION users_sync_login_email();

-- Login: which tenant and user an email belongs to (nothing else crosses tenants here).
CREATE FUNCTION auth_find_login(p_email text) RETURNS TABLE (tenant_id bigint, user_id bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$ SELECT l.tenant_id, l.user_id FROM public.login_emails l WHERE l.email = lower(p_email) $$;

-- Signup: creates a tenant on the trial plan and its owner in one step. Raises 22023 for an
-- unknown time zone and 23505 when the email is taken.
CREATE FUNCTION signup_tenant(p_business_name text, p_timezone text, p_phone text,
                              p_owner_name text, p_email text, p_password_hash text,
                              OUT tenant_id bigint, OUT user_id bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names WHERE name = p_timezone) THEN
        RAISE EXCEPTION 'unknown time zone' USING ERRCODE = '22023', COLUMN = 'timezone';
    END IF;
    INSERT INTO public.tenants (plan_id, name, timezone, phone)
        VALUES ((SELECT id FROM public.plans WHERE code = 'trial'), p_business_name, p_timezone,
                p_phone)
        RETURNING id INTO tenant_id;
    INSERT INTO public.users (tenant_id, email, name, role, password_hash)
        VALUES (tenant_id, lower(p_email), p_owner_name, 'owner', p_password_hash)
        RETURNING id INTO user_id;
END $$;

REVOKE ALL ON FUNCTION users_sync_login_email() FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_find_login(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION signup_tenant(text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_login(text) TO laris_app;
GRANT EXECUTE ON FUNCTION signup_tenant(text, text, text, text, text, text) TO laris_app;
GRANT EXECUTE ON FUNCTION laris_current_tenant() TO laris_app;

GRANT USAGE ON SCHEMA public TO laris_app;
GRANT SELECT ON plans TO laris_app;
GRANT SELECT ON tenants TO laris_app;
GRANT SELECT, INSERT, UPDATE ON users, sessions, api_keys TO laris_app;
GRANT SELECT, INSERT ON audit_log TO laris_app;
