-- Meridian EHR schema, step 24: the key Meridian signs SMART launch values with (issue #23, ADR 0028).
-- Append-only file: never edit once landed.
--
-- An EHR launch from the chart gives the app an opaque launch value: the launch patient, the clinician, the app and
-- an expiry, signed with HMAC-SHA256 under this key. The app hands it to Keycloak (authorize request, scope launch);
-- Meridian's Keycloak provider relays it into the token; Meridian verifies it on every request with this key, which
-- never leaves the database and the app instances. One key for every instance (a launch made on one node is valid
-- on all), 256 bits from PostgreSQL's strong random source (gen_random_uuid: 2 x 122 random bits).
-- No row-level security: it is the platform's key, read by the application role only.

CREATE TABLE smart_launch_key (
    id          smallint    PRIMARY KEY CHECK (id = 1),
    secret      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
INSERT INTO smart_launch_key (id, secret)
VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

GRANT SELECT ON smart_launch_key TO ${app_role};
