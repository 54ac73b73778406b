-- Meridian EHR schema, step 3: care teams, patient access grants (consent), break-the-glass sessions, and the
-- row-level security clauses that let a grantee or the patient read across institutions. Issue #5.
-- Append-only file: never edit once landed.
--
-- Institutions already carry country and data-residency region (tenant, V1).
--
-- The RLS walls added here are permissive policies next to V1's tenant_isolation (policies are OR-ed):
--   grant_access  a row is visible if its person has an active, unrevoked grant to the bound practitioner
--                 (app.practitioner_id) or institution (app.tenant_id) whose scope admits the row's sensitivity
--                 labels (meridian_grant_admits; the grant lookup itself runs under access_grant's RLS);
--   person_self   a row is visible to the patient it is about (app.person_id), at every institution.
-- The application sets these transaction-local settings from the validated token only (AccessBinding), and never
-- sets app.tenant_id for a patient, so a patient sees nothing but their own rows.

CREATE TABLE care_team (
    tenant_id   text        NOT NULL REFERENCES tenant (id),
    id          text        NOT NULL CHECK (id ~ '^[A-Za-z0-9\-\.]{1,64}$'),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE care_team IS 'A care team held by an institution; its members may come from other institutions.';

CREATE TABLE care_team_member (
    tenant_id        text        NOT NULL,
    team_id          text        NOT NULL,
    practitioner_id  text        NOT NULL CHECK (length(practitioner_id) BETWEEN 1 AND 64),
    member_tenant_id text        NOT NULL REFERENCES tenant (id),
    role             text        NOT NULL CHECK (role IN ('clinician', 'nurse')),
    period_start     timestamptz NOT NULL,
    period_end       timestamptz,
    PRIMARY KEY (tenant_id, team_id, practitioner_id, period_start),
    FOREIGN KEY (tenant_id, team_id) REFERENCES care_team (tenant_id, id),
    CHECK (period_end IS NULL OR period_end > period_start)
);
CREATE INDEX care_team_member_practitioner ON care_team_member (practitioner_id);

CREATE TABLE care_team_patient (
    tenant_id  text        NOT NULL,
    team_id    text        NOT NULL,
    person_id  text        NOT NULL REFERENCES person (id),
    added_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tenant_id, team_id, person_id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES care_team (tenant_id, id)
);

-- A patient's grant of access to their record (all institutions) to a practitioner or an institution.
-- Person-owned, not tenant-owned: visible to the patient and to the grantee.
CREATE TABLE access_grant (
    id                   text        PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    person_id            text        NOT NULL REFERENCES person (id),
    grantee_practitioner text        CHECK (length(grantee_practitioner) BETWEEN 1 AND 64),
    grantee_tenant       text        REFERENCES tenant (id),
    scope                text        NOT NULL CHECK (scope IN ('all', 'exclude-sensitive', 'categories')),
    categories           text        NOT NULL DEFAULT '' CHECK (categories ~ '^[A-Z,]*$'),
    purpose              text        NOT NULL CHECK (length(purpose) BETWEEN 1 AND 32),
    starts_at            timestamptz NOT NULL,
    ends_at              timestamptz,
    created_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    revoked_at           timestamptz,
    CHECK (num_nonnulls(grantee_practitioner, grantee_tenant) = 1),
    CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX access_grant_person ON access_grant (person_id);
CREATE INDEX access_grant_practitioner ON access_grant (grantee_practitioner) WHERE grantee_practitioner IS NOT NULL;
CREATE INDEX access_grant_tenant ON access_grant (grantee_tenant) WHERE grantee_tenant IS NOT NULL;

CREATE TABLE break_glass_session (
    id              text        PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    tenant_id       text        NOT NULL REFERENCES tenant (id),
    practitioner_id text        NOT NULL,
    subject         text        NOT NULL,
    person_id       text        NOT NULL REFERENCES person (id),
    patient_ref     text        NOT NULL,
    reason          text        NOT NULL CHECK (length(btrim(reason)) >= 10),
    started_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    reviewed_at     timestamptz,
    reviewed_by     text,
    CHECK (expires_at > started_at AND expires_at <= started_at + interval '4 hours')
);
CREATE INDEX break_glass_active ON break_glass_session (tenant_id, practitioner_id, expires_at);

-- Sensitive categories (v3-ActCode labels in resource_version.sensitivity, stored as 'system|code').
CREATE FUNCTION meridian_sensitive_code(label text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN split_part(label, '|', 2) = ANY (ARRAY['ETH', 'GDIS', 'HIV', 'MST', 'PSY', 'PSYTHPN', 'SCA',
                'SDV', 'SEX', 'SICKLE', 'STD', 'SUD', 'TBOO', 'BH']) THEN split_part(label, '|', 2) END
$$;

CREATE FUNCTION meridian_grant_admits(p_person text, p_labels jsonb) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT p_person IS NOT NULL AND EXISTS (
        SELECT 1 FROM access_grant g
         WHERE g.person_id = p_person
           AND g.revoked_at IS NULL AND g.starts_at <= now() AND (g.ends_at IS NULL OR g.ends_at > now())
           AND (g.grantee_practitioner = current_setting('app.practitioner_id', true)
                OR g.grantee_tenant = current_setting('app.tenant_id', true))
           AND (g.scope = 'all' OR NOT EXISTS (
                SELECT 1 FROM jsonb_array_elements_text(p_labels) AS l(label)
                 WHERE meridian_sensitive_code(l.label) IS NOT NULL
                   AND (g.scope = 'exclude-sensitive'
                        OR NOT meridian_sensitive_code(l.label) = ANY (string_to_array(g.categories, ','))))))
$$;

-- Row-level security on the new tables.
ALTER TABLE care_team ENABLE ROW LEVEL SECURITY;
ALTER TABLE care_team FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON care_team
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE care_team_member ENABLE ROW LEVEL SECURITY;
ALTER TABLE care_team_member FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON care_team_member
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE care_team_patient ENABLE ROW LEVEL SECURITY;
ALTER TABLE care_team_patient FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON care_team_patient
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

ALTER TABLE access_grant ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_grant FORCE ROW LEVEL SECURITY;
CREATE POLICY grant_party ON access_grant FOR SELECT
    USING (person_id = current_setting('app.person_id', true)
           OR grantee_practitioner = current_setting('app.practitioner_id', true)
           OR grantee_tenant = current_setting('app.tenant_id', true));
CREATE POLICY grant_by_patient ON access_grant FOR INSERT
    WITH CHECK (person_id = current_setting('app.person_id', true));
CREATE POLICY grant_revoke_by_patient ON access_grant FOR UPDATE
    USING (person_id = current_setting('app.person_id', true))
    WITH CHECK (person_id = current_setting('app.person_id', true));

ALTER TABLE break_glass_session ENABLE ROW LEVEL SECURITY;
ALTER TABLE break_glass_session FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_patient ON break_glass_session FOR SELECT
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR person_id = current_setting('app.person_id', true));
CREATE POLICY tenant_opens ON break_glass_session FOR INSERT
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_reviews ON break_glass_session FOR UPDATE
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

-- Cross-institution reads under a grant, and the patient's own record: extra permissive SELECT policies on the
-- record store (V1's tenant_isolation stays as it is; writes remain tenant-bound).
CREATE POLICY grant_access ON resource_version FOR SELECT
    USING (meridian_grant_admits(person_id, sensitivity));
CREATE POLICY person_self ON resource_version FOR SELECT
    USING (person_id IS NOT NULL AND person_id = current_setting('app.person_id', true));
CREATE POLICY grant_access ON resource_head FOR SELECT
    USING (meridian_grant_admits(person_id, '[]'::jsonb));
CREATE POLICY person_self ON resource_head FOR SELECT
    USING (person_id IS NOT NULL AND person_id = current_setting('app.person_id', true));

GRANT SELECT, INSERT ON care_team, care_team_member, care_team_patient TO ${app_role};
GRANT UPDATE (period_end) ON care_team_member TO ${app_role};
GRANT SELECT, INSERT ON access_grant TO ${app_role};
GRANT UPDATE (revoked_at) ON access_grant TO ${app_role};
GRANT SELECT, INSERT ON break_glass_session TO ${app_role};
GRANT UPDATE (reviewed_at, reviewed_by) ON break_glass_session TO ${app_role};
