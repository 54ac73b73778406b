-- Meridian EHR schema, step 1: tenants (institutions), persons, the versioned FHIR record store, the outbox.
-- Issue #2 (Foundation) / #3 (record store). Append-only file: never edit once landed; add V2, V3, ...
--
-- Isolation: every tenant-owned table carries tenant_id NOT NULL and is under FORCE ROW LEVEL SECURITY with a
-- policy on the transaction-local setting app.tenant_id, which the application sets from the validated token at
-- the start of each transaction (and only there). The application's role (${app_role}) is not the owner.

CREATE TABLE tenant (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    country     char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    region      text        NOT NULL CHECK (length(region) BETWEEN 1 AND 64),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE tenant IS 'Institutions (custodians). Registry data, not clinical content: readable by the app.';

CREATE TABLE person (
    id          text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE person IS 'The patient as one person across institutions; per-institution Patient records link to it.';

-- One row per version of a FHIR resource held by a tenant. Append-only: the app role may only INSERT and SELECT.
CREATE TABLE resource_version (
    tenant_id     text        NOT NULL REFERENCES tenant (id),
    resource_type text        NOT NULL CHECK (resource_type ~ '^[A-Z][A-Za-z]{1,63}$'),
    resource_id   text        NOT NULL CHECK (resource_id ~ '^[A-Za-z0-9\-\.]{1,64}$'),
    version       integer     NOT NULL CHECK (version > 0),
    person_id     text        REFERENCES person (id),
    patient_ref   text,
    effective_at  timestamptz,
    category      jsonb       NOT NULL DEFAULT '[]',
    codes         jsonb       NOT NULL DEFAULT '[]',
    identifiers   jsonb       NOT NULL DEFAULT '[]',
    sensitivity   jsonb       NOT NULL DEFAULT '[]',
    author        text,
    deleted       boolean     NOT NULL DEFAULT false,
    content       jsonb,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tenant_id, resource_type, resource_id, version),
    CHECK (deleted OR content IS NOT NULL)
);

-- The current version of each resource (the only mutable part of the record store).
CREATE TABLE resource_head (
    tenant_id       text        NOT NULL,
    resource_type   text        NOT NULL,
    resource_id     text        NOT NULL,
    current_version integer     NOT NULL,
    deleted         boolean     NOT NULL DEFAULT false,
    person_id       text,
    identifiers     jsonb       NOT NULL DEFAULT '[]',
    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tenant_id, resource_type, resource_id),
    FOREIGN KEY (tenant_id, resource_type, resource_id, current_version)
        REFERENCES resource_version (tenant_id, resource_type, resource_id, version)
);
CREATE INDEX resource_head_person ON resource_head (tenant_id, person_id) WHERE person_id IS NOT NULL;
CREATE INDEX resource_head_identifiers ON resource_head USING gin (identifiers jsonb_path_ops);
CREATE INDEX resource_head_updated ON resource_head (tenant_id, resource_type, updated_at);

-- Transactional outbox: written in the same transaction as the change it announces; the mirror worker ships it
-- to Elasticsearch and deletes it. Holds ids only, never clinical content.
CREATE TABLE outbox_event (
    seq             bigserial PRIMARY KEY,
    tenant_id       text        NOT NULL REFERENCES tenant (id),
    resource_type   text        NOT NULL,
    resource_id     text        NOT NULL,
    version         integer     NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz
);
CREATE INDEX outbox_event_due ON outbox_event (next_attempt_at NULLS FIRST, seq);

-- Row-level security: the second wall behind the application's own tenant checks.
ALTER TABLE resource_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE resource_version FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON resource_version
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

ALTER TABLE resource_head ENABLE ROW LEVEL SECURITY;
ALTER TABLE resource_head FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON resource_head
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

-- The outbox worker is a system task that must see every tenant's pending events (ids only); it declares itself
-- with app.scope = 'outbox-worker' inside its own transactions. Everything else sees only its tenant's events.
ALTER TABLE outbox_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox_event FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox_event
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'outbox-worker')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

GRANT USAGE ON SCHEMA public TO ${app_role};
GRANT SELECT, INSERT ON tenant, person TO ${app_role};
GRANT SELECT ON flyway_schema_history TO ${app_role};
GRANT SELECT, INSERT ON resource_version TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON resource_head TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox_event TO ${app_role};
GRANT USAGE ON SEQUENCE outbox_event_seq_seq TO ${app_role};
