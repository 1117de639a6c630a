-- WhatsApp message templates: a tenant's copy of the templates of the WABAs its numbers belong
-- to. Meta is the truth for a template's content and review status; a row is written after Meta
-- answered (create, edit, sync) and its status follows message_template_status_update webhooks
-- (routed by WABA id to every tenant with a number in that WABA).
--
-- status_at is the time of the last status applied (the webhook's entry.time, or when Meta
-- answered a create, edit or sync): an older event arriving late changes nothing, and the same
-- event twice sets the same values, so applying events is idempotent in any order.

CREATE TABLE templates (
    tenant_id         bigint NOT NULL REFERENCES tenants (id),
    id                bigint GENERATED ALWAYS AS IDENTITY,
    waba_id           text NOT NULL CHECK (waba_id ~ '^[0-9]{1,32}$'),
    name              text NOT NULL CHECK (name ~ '^[a-z0-9_]+$' AND length(name) <= 512),
    language          text NOT NULL CHECK (language ~ '^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$'),
    category          text NOT NULL CHECK (category IN ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
    components        jsonb NOT NULL CHECK (jsonb_typeof(components) = 'array'
                                            AND octet_length(components::text) <= 65536),
    parameter_format  text NOT NULL DEFAULT 'POSITIONAL'
                      CHECK (parameter_format IN ('POSITIONAL', 'NAMED')),
    -- The variables of the body and of a text header, in order: '1', '2'... or names.
    body_params       text[] NOT NULL DEFAULT '{}' CHECK (cardinality(body_params) <= 100),
    header_params     text[] NOT NULL DEFAULT '{}' CHECK (cardinality(header_params) <= 1),
    status            text NOT NULL CHECK (status ~ '^[A-Z_]{1,32}$'),
    rejection_reason  text CHECK (length(rejection_reason) <= 200),
    meta_template_id  text CHECK (meta_template_id ~ '^[0-9]{1,32}$'),
    status_at         timestamptz NOT NULL DEFAULT now(),
    created_by        bigint,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, waba_id, name, language),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX templates_meta_id_idx ON templates (tenant_id, waba_id, meta_template_id);

ALTER TABLE templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE templates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON templates
    USING (tenant_id = (SELECT laris_current_tenant()))
    WITH CHECK (tenant_id = (SELECT laris_current_tenant()));

GRANT SELECT, INSERT, UPDATE, DELETE ON templates TO laris_app;
