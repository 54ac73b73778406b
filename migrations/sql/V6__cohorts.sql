-- Meridian EHR schema, step 6: saved cohort definitions (issue #8).
-- Append-only file: never edit once landed.
--
-- A saved cohort is owned by the institution of the tenant admin or researcher who saved it; it holds the
-- definition (JSON, validated by the application before it is stored), never a list of patients: a cohort is
-- re-evaluated against the current record on every run. The last run's count is kept for comparison.
--
-- Research consent needs no table: it is a FHIR Consent in the record store (status active, category
-- http://terminology.hl7.org/CodeSystem/consentcategorycodes|research), versioned and audited like any record.

CREATE TABLE cohort (
    tenant_id    text        NOT NULL REFERENCES tenant (id),
    id           text        NOT NULL CHECK (id ~ '^[A-Za-z0-9\-\.]{1,64}$'),
    name         text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    definition   jsonb       NOT NULL,
    created_by   text        NOT NULL CHECK (length(created_by) BETWEEN 1 AND 200),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_count   bigint      CHECK (last_count >= 0),
    last_run_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE cohort IS 'A saved cohort definition of an institution (issue #8); re-evaluated on every run.';

ALTER TABLE cohort ENABLE ROW LEVEL SECURITY;
ALTER TABLE cohort FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON cohort
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

GRANT SELECT, INSERT, UPDATE ON cohort TO ${app_role};
