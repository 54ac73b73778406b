-- Meridian EHR schema, step 17: bulk import jobs (issue #22, ADR 0023). Append-only file: never edit once landed.
--
-- A FHIR Bulk Data $import (and ./meridian import) is an asynchronous job whose state lives here, so that it
-- survives a restart or a crash of the instance running it:
--
--   import_job     one row per job: the institution it writes into (the caller's, from the token), a snapshot of
--                  the caller who started it (the worker writes on their behalf, through the same write decision),
--                  its phase (queued → loading → validating → complete | failed) and a lease: the instance working on
--                  it renews lease_until with every chunk it commits; an expired lease is taken over.
--   import_input   the job's inputs in processing order (Patients first): a file of the configured import directory
--                  or an uploaded ndjson body (content). lines_done is the checkpoint of the load: it moves in the
--                  same transaction as the chunk's resources, so a resumed job starts after the last committed chunk
--                  and never stores a line twice; validated_lines likewise for the background validation.
--   import_error   the error file: one OperationOutcome per refused line (input, line number), written in the
--                  transaction of its chunk.
--   import_person  the persons the job wrote about (the audit writes one event per person when the load ends).
--   import_issue   the validation report: resources that failed structure-definition validation (quarantined).
--
-- Tenant-owned like the record store (FORCE RLS on app.tenant_id); the worker, a system task like the outbox
-- worker, finds and claims jobs of every institution with app.scope = 'import-worker', and binds each job's own
-- tenant before it touches the job's rows or the records.

CREATE TABLE import_job (
    id            uuid        PRIMARY KEY,
    tenant_id     text        NOT NULL REFERENCES tenant (id),
    kind          text        NOT NULL CHECK (kind IN ('ndjson', 'bundles')),
    status        text        NOT NULL CHECK (status IN ('queued', 'loading', 'validating', 'complete', 'failed')),
    requested_by  jsonb       NOT NULL,
    request_url   text,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    loaded_at     timestamptz,
    finished_at   timestamptz,
    lease_owner   text,
    lease_until   timestamptz,
    runs          integer     NOT NULL DEFAULT 0,
    committed     bigint      NOT NULL DEFAULT 0,
    failed        bigint      NOT NULL DEFAULT 0,
    validated     bigint      NOT NULL DEFAULT 0,
    quarantined   bigint      NOT NULL DEFAULT 0,
    message       text
);
CREATE INDEX import_job_due ON import_job (created_at) WHERE status IN ('queued', 'loading', 'validating');

CREATE TABLE import_input (
    job_id          uuid    NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
    ordinal         integer NOT NULL,
    tenant_id       text    NOT NULL,
    resource_type   text    NOT NULL,
    source          text    NOT NULL,
    content         text,
    lines_done      integer NOT NULL DEFAULT 0,
    validated_lines integer NOT NULL DEFAULT 0,
    committed       bigint  NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, ordinal)
);

CREATE TABLE import_error (
    job_id   uuid    NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
    ordinal  integer NOT NULL,
    line     integer NOT NULL,
    tenant_id text   NOT NULL,
    outcome  jsonb   NOT NULL,
    PRIMARY KEY (job_id, ordinal, line)
);

CREATE TABLE import_person (
    job_id    uuid NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
    person_id text NOT NULL,
    tenant_id text NOT NULL,
    PRIMARY KEY (job_id, person_id)
);

CREATE TABLE import_issue (
    job_id        uuid    NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
    ordinal       integer NOT NULL,
    line          integer NOT NULL,
    tenant_id     text    NOT NULL,
    resource_type text    NOT NULL,
    resource_id   text    NOT NULL,
    outcome       jsonb   NOT NULL,
    PRIMARY KEY (job_id, ordinal, line)
);

ALTER TABLE import_job ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_job FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_job
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'import-worker')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'import-worker');

ALTER TABLE import_input ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_input FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_input
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

ALTER TABLE import_error ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_error FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_error
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

ALTER TABLE import_person ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_person FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_person
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

ALTER TABLE import_issue ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_issue FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_issue
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

GRANT SELECT, INSERT, UPDATE ON import_job TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON import_input TO ${app_role};
GRANT SELECT, INSERT ON import_error, import_person, import_issue TO ${app_role};
