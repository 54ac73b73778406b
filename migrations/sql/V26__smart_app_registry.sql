-- Meridian EHR schema, step 27: the registry of SMART apps (issue #23, ADR 0031). Append-only file: never edit once
-- landed.
--
--   smart_app          one row per third-party app an institution's administrator registered: its OAuth client id
--                      (the token's azp), name, kind (public, confidential, backend), redirect URIs, the scopes it
--                      may ask for, the public keys of a backend client (JWKS), and whether it is revoked. The source
--                      of truth: Keycloak's client is created from it and disabled when it is revoked, and the app
--                      checks every request's azp against it (a revoked app's tokens stop working at once).
--                      Meridian's own clients (meridian-web, meridian-cli*) are not in it: they are first-party.
--   smart_app_version  one counter, bumped by a trigger in the transaction of every change to smart_app, so that an
--                      instance's cache of the registry is exact (read the counter, reload when it moved: ADR 0020's
--                      rule, never a time-to-live alone).
--
-- Row-level security: every instance reads the whole registry (client ids and app names are not patient data; the
-- check runs before a request's institution is bound); an institution's administrator writes its own apps only.

CREATE TABLE smart_app (
    client_id     text        PRIMARY KEY CHECK (client_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{2,99}$'
                                                 AND client_id !~ '^meridian-'),
    tenant_id     text        NOT NULL REFERENCES tenant (id),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind          text        NOT NULL CHECK (kind IN ('public', 'confidential', 'backend')),
    redirect_uris text[]      NOT NULL DEFAULT '{}',
    scopes        text[]      NOT NULL DEFAULT '{}',
    jwks          jsonb,
    registered_by text        NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    revoked_by    text,
    revoked_at    timestamptz,
    CHECK (kind <> 'backend' OR jwks IS NOT NULL),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

CREATE TABLE smart_app_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint  NOT NULL
);
INSERT INTO smart_app_version (id, version) VALUES (1, 0);

CREATE FUNCTION smart_app_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE smart_app_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER smart_app_changed AFTER INSERT OR UPDATE OR DELETE ON smart_app
    FOR EACH STATEMENT EXECUTE FUNCTION smart_app_bump_version();

ALTER TABLE smart_app ENABLE ROW LEVEL SECURITY;
ALTER TABLE smart_app FORCE ROW LEVEL SECURITY;
CREATE POLICY smart_app_read ON smart_app FOR SELECT USING (true);
CREATE POLICY smart_app_register ON smart_app FOR INSERT
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY smart_app_revoke ON smart_app FOR UPDATE
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

GRANT SELECT, INSERT ON smart_app TO ${app_role};
GRANT UPDATE (revoked_by, revoked_at) ON smart_app TO ${app_role};
GRANT SELECT, UPDATE ON smart_app_version TO ${app_role};

-- The app in the audit trail (ADR 0031): an access made through a registered app's token records the app — its
-- client id and its name at the time — beside the user. Both columns are NULL for Meridian's own clients and for
-- every entry written before this step. They are part of what is hashed only when present: the canonical text of an
-- entry without an app is exactly what it was (so the legacy chain and every sealed leaf recompute unchanged), and an
-- entry with an app has its two fields appended to the same text (18th and 19th fields), so they are sealed too.

ALTER TABLE audit_event ADD COLUMN app_client_id text CHECK (length(app_client_id) BETWEEN 1 AND 100);
ALTER TABLE audit_event ADD COLUMN app_name text CHECK (length(app_name) BETWEEN 1 AND 200);
ALTER TABLE audit_event ADD CHECK ((app_client_id IS NULL) = (app_name IS NULL));

CREATE OR REPLACE FUNCTION audit_event_canonical(e audit_event) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT string_agg(CASE WHEN v IS NULL THEN '-' ELSE length(v)::text || ':' || v END, '|' ORDER BY n)
      FROM unnest(ARRAY[e.seq::text,
                        ((extract(epoch FROM e.recorded_at) * 1000000)::bigint)::text,
                        e.tenant_id, e.custodian_id, e.subject, e.username, e.roles, e.person_id, e.patient_ref,
                        e.action::text, e.interaction, e.resource_type, e.resource_id, e.query, e.outcome,
                        e.purpose, e.detail]
                  || CASE WHEN e.app_client_id IS NULL THEN ARRAY[]::text[]
                          ELSE ARRAY[e.app_client_id, e.app_name] END) WITH ORDINALITY AS f(v, n)
$$;

CREATE OR REPLACE VIEW audit_event_seen WITH (security_invoker = true) AS
SELECT e.seq, e.recorded_at, e.tenant_id,
       CASE WHEN r.redacted THEN NULL ELSE e.custodian_id END AS custodian_id,
       e.subject, e.username, e.roles,
       CASE WHEN r.redacted THEN NULL ELSE e.person_id END AS person_id,
       CASE WHEN r.redacted THEN NULL ELSE e.patient_ref END AS patient_ref,
       e.action, e.interaction, e.resource_type, e.resource_id, e.query, e.outcome, e.purpose,
       CASE WHEN r.echo THEN left(e.detail, -length(audit_holder_echo())) ELSE e.detail END AS detail,
       e.hash, e.app_client_id, e.app_name
  FROM audit_event e
 CROSS JOIN LATERAL (SELECT audit_redacted(e.person_id, e.custodian_id, e.tenant_id, e.outcome, e.roles) AS redacted,
                            coalesce(right(e.detail, length(audit_holder_echo())) = audit_holder_echo(), false)
                                AS echo) r
 WHERE NOT (r.redacted AND r.echo);
