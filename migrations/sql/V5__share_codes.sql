-- Meridian EHR schema, step 5: the patient portal (issue #7). Append-only file: never edit once landed.
--
--   share_code             a one-time code a patient hands to a clinician of any institution (e.g. abroad), who
--                          redeems it for a time-boxed read of the patient summary. Only the SHA-256 of the code is
--                          stored. Person-owned: the patient creates, lists and revokes; a clinician sees a row only
--                          by presenting its code (app.share_code_hash, set from the code they typed) or once they
--                          redeemed it (app.practitioner_id + app.tenant_id).
--   share_code_failure     failed redemptions (wrong, used, expired code), counted per user and per client address
--                          for the redemption rate limit; written in a transaction of their own.
--   practitioner_directory the care professionals a patient can choose as a grantee (institution and country come
--                          from the tenant); a practitioner can only write their own row, from their token.
--
-- share_summary: a further permissive SELECT policy on the record store, admitting the non-sensitive rows of a person
-- whose share code the bound practitioner redeemed, while access lasts, and only in a transaction the summary use
-- case marked with app.share_scope = 'summary'. The policy decision point restricts that read to the summary types.

CREATE TABLE share_code (
    id               text        PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    person_id        text        NOT NULL REFERENCES person (id),
    patient_tenant   text        NOT NULL REFERENCES tenant (id),
    patient_id       text        NOT NULL CHECK (patient_id ~ '^[A-Za-z0-9\-\.]{1,64}$'),
    code_hash        text        NOT NULL UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    revoked_at       timestamptz,
    redeemed_at      timestamptz,
    redeemed_by      text        CHECK (length(redeemed_by) BETWEEN 1 AND 64),
    redeemed_subject text,
    redeemed_user    text,
    redeemed_tenant  text        REFERENCES tenant (id),
    access_until     timestamptz,
    CHECK (expires_at > created_at AND expires_at <= created_at + interval '7 days'),
    CHECK (num_nonnulls(redeemed_at, redeemed_by, redeemed_tenant, access_until) IN (0, 4)),
    CHECK (access_until IS NULL OR (access_until > redeemed_at AND access_until <= redeemed_at + interval '24 hours'))
);
CREATE INDEX share_code_person ON share_code (person_id, created_at);
CREATE INDEX share_code_redeemer ON share_code (redeemed_by, access_until) WHERE redeemed_by IS NOT NULL;

CREATE TABLE share_code_failure (
    id         bigserial   PRIMARY KEY,
    subject    text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    client_ip  text        NOT NULL CHECK (length(client_ip) BETWEEN 1 AND 64),
    failed_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX share_code_failure_subject ON share_code_failure (subject, failed_at);
CREATE INDEX share_code_failure_ip ON share_code_failure (client_ip, failed_at);

CREATE TABLE practitioner_directory (
    practitioner_id text        PRIMARY KEY CHECK (practitioner_id ~ '^[A-Za-z0-9\-\.]{1,64}$'),
    tenant_id       text        NOT NULL REFERENCES tenant (id),
    display_name    text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role            text        NOT NULL CHECK (role IN ('clinician', 'nurse')),
    seen_at         timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION meridian_share_admits(p_person text, p_labels jsonb) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT p_person IS NOT NULL AND current_setting('app.share_scope', true) = 'summary'
       AND EXISTS (
        SELECT 1 FROM share_code s
         WHERE s.person_id = p_person AND s.revoked_at IS NULL
           AND s.redeemed_by = current_setting('app.practitioner_id', true)
           AND s.redeemed_tenant = current_setting('app.tenant_id', true)
           AND s.access_until > now())
       AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements_text(p_labels) AS l(label)
         WHERE meridian_sensitive_code(l.label) IS NOT NULL)
$$;

ALTER TABLE share_code ENABLE ROW LEVEL SECURITY;
ALTER TABLE share_code FORCE ROW LEVEL SECURITY;
CREATE POLICY share_owner ON share_code FOR SELECT
    USING (person_id = current_setting('app.person_id', true));
CREATE POLICY share_presented ON share_code FOR SELECT
    USING (code_hash = current_setting('app.share_code_hash', true));
CREATE POLICY share_redeemer ON share_code FOR SELECT
    USING (redeemed_by = current_setting('app.practitioner_id', true)
           AND redeemed_tenant = current_setting('app.tenant_id', true));
CREATE POLICY share_create ON share_code FOR INSERT
    WITH CHECK (person_id = current_setting('app.person_id', true) AND redeemed_at IS NULL);
CREATE POLICY share_revoke ON share_code FOR UPDATE
    USING (person_id = current_setting('app.person_id', true))
    WITH CHECK (person_id = current_setting('app.person_id', true));
CREATE POLICY share_redeem ON share_code FOR UPDATE
    USING (code_hash = current_setting('app.share_code_hash', true) AND redeemed_at IS NULL
           AND revoked_at IS NULL AND expires_at > now())
    WITH CHECK (redeemed_by = current_setting('app.practitioner_id', true)
                AND redeemed_tenant = current_setting('app.tenant_id', true));

ALTER TABLE share_code_failure ENABLE ROW LEVEL SECURITY;
ALTER TABLE share_code_failure FORCE ROW LEVEL SECURITY;
CREATE POLICY failure_append ON share_code_failure FOR INSERT WITH CHECK (true);
CREATE POLICY failure_count ON share_code_failure FOR SELECT
    USING (subject = current_setting('app.subject', true)
           OR client_ip = current_setting('app.client_ip', true));

ALTER TABLE practitioner_directory ENABLE ROW LEVEL SECURITY;
ALTER TABLE practitioner_directory FORCE ROW LEVEL SECURITY;
CREATE POLICY directory_read ON practitioner_directory FOR SELECT USING (true);
CREATE POLICY directory_self ON practitioner_directory FOR INSERT
    WITH CHECK (practitioner_id = current_setting('app.practitioner_id', true)
                AND tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY directory_self_update ON practitioner_directory FOR UPDATE
    USING (practitioner_id = current_setting('app.practitioner_id', true))
    WITH CHECK (practitioner_id = current_setting('app.practitioner_id', true)
                AND tenant_id = current_setting('app.tenant_id', true));

CREATE POLICY share_summary ON resource_version FOR SELECT
    USING (meridian_share_admits(person_id, sensitivity));
CREATE POLICY share_summary ON resource_head FOR SELECT
    USING (meridian_share_admits(person_id, '[]'::jsonb));

GRANT SELECT, INSERT ON share_code TO ${app_role};
GRANT UPDATE (revoked_at, redeemed_at, redeemed_by, redeemed_subject, redeemed_user, redeemed_tenant, access_until)
    ON share_code TO ${app_role};
GRANT SELECT, INSERT ON share_code_failure TO ${app_role};
GRANT USAGE ON SEQUENCE share_code_failure_id_seq TO ${app_role};
GRANT SELECT, INSERT ON practitioner_directory TO ${app_role};
GRANT UPDATE (tenant_id, display_name, role, seen_at) ON practitioner_directory TO ${app_role};
