-- Meridian EHR schema, step 20: bulk export jobs (issue #23, ADR 0026). Append-only file: never edit once landed.
--
-- A FHIR Bulk Data $export is an asynchronous job whose state lives here, so that it survives a restart or a crash
-- of the instance running it, and is run by whichever instance claims it (a lease, as import_job in V17):
--
--   export_job     one row per job: who asked (a snapshot of the caller: the worker reads on their behalf, through
--                  the same access decisions as their requests), the institution of a staff caller (NULL for a
--                  patient, whose job belongs to their person), the request, the persons to export (fixed at
--                  kick-off; each is judged again record by record when exported), the checkpoint persons_done
--                  (moves in the transaction that stores a person's lines and audits them: exactly once), status
--                  (queued → running → complete | failed | cancelled), a lease, and when its files expire.
--   export_chunk   the output: the ndjson lines of one person and one type (or a piece of them), in a numbered
--                  file (part) of that type; a file is its chunks in seq order.
--
-- Row-level security: a staff caller's jobs by app.tenant_id, a patient's by app.person_id; the worker (a system
-- task like the import worker) finds, claims and expires jobs of everyone with app.scope = 'export-worker'.

CREATE TABLE export_job (
    id              uuid        PRIMARY KEY,
    tenant_id       text        REFERENCES tenant (id),
    person_id       text,
    requester       text        NOT NULL,
    requested_by    jsonb       NOT NULL,
    level           text        NOT NULL CHECK (level IN ('system', 'patient', 'group')),
    group_id        text,
    request_url     text        NOT NULL,
    types           text[]      NOT NULL,
    since           timestamptz,
    persons         text[]      NOT NULL,
    persons_done    integer     NOT NULL DEFAULT 0,
    status          text        NOT NULL CHECK (status IN ('queued', 'running', 'complete', 'failed', 'cancelled')),
    transaction_time timestamptz NOT NULL DEFAULT clock_timestamp(),
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at     timestamptz,
    expires_at      timestamptz,
    lease_owner     text,
    lease_until     timestamptz,
    runs            integer     NOT NULL DEFAULT 0,
    message         text,
    CHECK (tenant_id IS NOT NULL OR person_id IS NOT NULL)
);
CREATE INDEX export_job_due ON export_job (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX export_job_expiry ON export_job (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE export_chunk (
    job_id        uuid    NOT NULL REFERENCES export_job (id) ON DELETE CASCADE,
    seq           integer NOT NULL,
    resource_type text    NOT NULL,
    part          integer NOT NULL,
    lines         integer NOT NULL,
    content       text    NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX export_chunk_file ON export_chunk (job_id, resource_type, part, seq);

ALTER TABLE export_job ENABLE ROW LEVEL SECURITY;
ALTER TABLE export_job FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_isolation ON export_job
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR (tenant_id IS NULL AND person_id = current_setting('app.person_id', true))
           OR current_setting('app.scope', true) = 'export-worker')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
           OR (tenant_id IS NULL AND person_id = current_setting('app.person_id', true))
           OR current_setting('app.scope', true) = 'export-worker');

-- A chunk is visible exactly when its job is (the job's own policy decides).
ALTER TABLE export_chunk ENABLE ROW LEVEL SECURITY;
ALTER TABLE export_chunk FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_isolation ON export_chunk
    USING (EXISTS (SELECT 1 FROM export_job j WHERE j.id = job_id))
    WITH CHECK (EXISTS (SELECT 1 FROM export_job j WHERE j.id = job_id));

GRANT SELECT, INSERT, UPDATE, DELETE ON export_job TO ${app_role};
GRANT SELECT, INSERT, DELETE ON export_chunk TO ${app_role};
