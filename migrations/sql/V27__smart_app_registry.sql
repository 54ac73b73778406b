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
