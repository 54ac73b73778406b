-- Meridian EHR schema, step 12: the cohort differencing guard's memory (issue #18). Append-only file: never edit
-- once landed.
--
-- Aggregate-only cohort users (researchers, platform admins) are refused an answer whose persons differ by 0..4 from
-- an answer they were given in the last 24 hours (DifferencingGuard). What the guard remembers must be shared by
-- every application instance, so it lives here, not in a JVM:
--
--   cohort_disclosure  one row per answer or refusal of such a user: the key of what was asked (SHA-256 of the
--                      definition and index date), the number of persons counted and a 64-byte sketch of their set
--                      (PersonSetSketch: it tells exactly whether two sets differ by 4 persons or fewer, never who
--                      they are); a refusal has no sketch. Rows older than the guard's window are of no use.
--
-- A platform table (a platform admin has no institution, so no tenant_id): row-level security admits it only to a
-- transaction that declares itself the guard of one user (app.scope = 'cohort-guard', app.cohort_subject = the
-- token's subject), like the login-failure ledger (V8). Per user, the application serialises its checks with a
-- transaction-level advisory lock, so two queries of one user on two instances cannot both pass.

CREATE TABLE cohort_disclosure (
    seq            bigserial   PRIMARY KEY,
    subject        text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    definition_key text        NOT NULL CHECK (definition_key ~ '^[0-9a-f]{64}$'),
    person_count   bigint      CHECK (person_count >= 0),
    sketch         bytea       CHECK (length(sketch) = 64),
    at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK ((person_count IS NULL) = (sketch IS NULL))
);
CREATE INDEX cohort_disclosure_subject_at ON cohort_disclosure (subject, at DESC);
COMMENT ON TABLE cohort_disclosure IS 'Cohort answers and refusals of aggregate-only users (differencing guard).';

ALTER TABLE cohort_disclosure ENABLE ROW LEVEL SECURITY;
ALTER TABLE cohort_disclosure FORCE ROW LEVEL SECURITY;
CREATE POLICY cohort_guard ON cohort_disclosure TO ${app_role}
    USING (current_setting('app.scope', true) = 'cohort-guard'
           AND subject = current_setting('app.cohort_subject', true))
    WITH CHECK (current_setting('app.scope', true) = 'cohort-guard'
                AND subject = current_setting('app.cohort_subject', true));
CREATE POLICY cohort_guard_owner ON cohort_disclosure TO CURRENT_USER USING (true) WITH CHECK (true);
GRANT SELECT, INSERT ON cohort_disclosure TO ${app_role};
GRANT USAGE ON SEQUENCE cohort_disclosure_seq_seq TO ${app_role};
