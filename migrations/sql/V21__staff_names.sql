-- Issue #20: admin screens and the patient's access log name people, not usernames or token subjects.
--   staff_name  the display name (the token's `name` claim), role and institution of every staff member who used
--               Meridian, keyed by the token subject the audit trail records (audit_event.subject). Entered by the
--               caller themselves (a row per subject, updated when the token's name changes); readable by every
--               reader of the audit trail (staff names are not patient data; the grantee directory shows the same).
--               Patients are never entered: a patient's name is shown only where their record is held (ADR 0027).

CREATE TABLE staff_name (
    subject      text        PRIMARY KEY CHECK (length(subject) BETWEEN 1 AND 200),
    display_name text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role         text        NOT NULL CHECK (role IN ('clinician', 'nurse', 'tenant-admin', 'platform-admin',
                                                      'researcher')),
    tenant_id    text        REFERENCES tenant (id),
    seen_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);

ALTER TABLE staff_name ENABLE ROW LEVEL SECURITY;
ALTER TABLE staff_name FORCE ROW LEVEL SECURITY;
CREATE POLICY staff_name_read ON staff_name FOR SELECT USING (true);
CREATE POLICY staff_name_self ON staff_name FOR INSERT
    WITH CHECK (subject = current_setting('app.subject', true));
CREATE POLICY staff_name_self_update ON staff_name FOR UPDATE
    USING (subject = current_setting('app.subject', true))
    WITH CHECK (subject = current_setting('app.subject', true));

GRANT SELECT, INSERT ON staff_name TO ${app_role};
GRANT UPDATE (display_name, role, tenant_id, seen_at) ON staff_name TO ${app_role};
