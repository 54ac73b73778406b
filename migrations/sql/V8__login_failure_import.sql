-- Meridian EHR schema, step 8: login failures in the audit trail (issue #5). Append-only file: never edit once landed.
--
-- Keycloak records failed logins as realm events (LOGIN_ERROR, CLIENT_LOGIN_ERROR). The application imports them into
-- the hash-chained audit_event table (V2) with a service-account client that may only view events.
--
--   identity_event_import  the ledger of imported events: one row per Keycloak event, written in the same
--                          transaction as its audit row, so an event is audited exactly once (restarts, several app
--                          instances: the primary key decides), and max(event_time) is where the next poll resumes.
--                          A platform table (no tenant): row-level security admits it only to a transaction that
--                          declares itself the importer (app.scope = 'identity-event-import'), like the outbox worker.
--
-- The failures carry no institution (the event does not say which tenant a user belongs to; there is no default
-- tenant), so they are platform-level audit rows: tenant_id, custodian_id and person_id all NULL. V2's audit_read
-- policy shows those to nobody; audit_platform_read shows them to a platform admin's audit search, which declares
-- itself with app.audit_scope = 'platform' (set from the validated token's platform-admin role only).

CREATE TABLE identity_event_import (
    event_key   text        PRIMARY KEY CHECK (length(event_key) BETWEEN 1 AND 200),
    event_time  timestamptz NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX identity_event_import_time ON identity_event_import (event_time);
COMMENT ON TABLE identity_event_import IS 'Keycloak events already appended to audit_event (login failures).';

ALTER TABLE identity_event_import ENABLE ROW LEVEL SECURITY;
ALTER TABLE identity_event_import FORCE ROW LEVEL SECURITY;
CREATE POLICY importer ON identity_event_import
    USING (current_setting('app.scope', true) = 'identity-event-import')
    WITH CHECK (current_setting('app.scope', true) = 'identity-event-import');
GRANT SELECT, INSERT ON identity_event_import TO ${app_role};

CREATE POLICY audit_platform_read ON audit_event FOR SELECT TO ${app_role}
    USING (current_setting('app.audit_scope', true) = 'platform'
           AND tenant_id IS NULL AND custodian_id IS NULL AND person_id IS NULL);
