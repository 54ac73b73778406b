-- Meridian EHR schema, step 31: a version counter of what takes care relations away (issue #21, ADR 0038).
-- Append-only file: never edit once landed.
--
--   care_relation_version  one row: a number bumped in the same transaction as any UPDATE, DELETE or TRUNCATE of
--                          care_team, care_team_member or care_team_patient — whatever can end a care relation: a
--                          patient taken off a team, a membership ended or changed, a team removed. An app instance
--                          keeps each clinician's care relations (every membership of theirs with its period, and the
--                          persons of those teams) and answers "in care" from them only while the counter, read in the
--                          request's binding statement beside V29's, equals the one they were loaded at; memberships
--                          are judged at each request's own instant. A relation ended by the app on any instance, by
--                          an operator in psql or by a migration is refused on the very next request.
--
-- INSERTs do not bump it: a new relation can only widen access, and a person the kept relations do not name is asked
-- of the database (as before ADR 0038), so an addition counts at once without invalidating anyone. This keeps the row
-- out of the registration and import paths, which add relations in bulk: ADR 0020 rejected a counter that every
-- registration would queue on, and an import chunk would hold its lock until it commits. An INSERT still marks its
-- transaction (app.access_facts_written, as V29's bump does): a transaction that changed care relations, in any way,
-- neither uses nor fills kept facts (it may roll back).
--
-- Its own row, not V29's: a care-team change does not make every clinician reload their grants, and writers of the two
-- kinds do not queue on one row lock.

CREATE TABLE care_relation_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version  bigint  NOT NULL
);
COMMENT ON TABLE care_relation_version IS
    'One row: bumped by trigger with every UPDATE, DELETE or TRUNCATE of care_team, care_team_member or care_team_patient (ADR 0038).';
INSERT INTO care_relation_version (only_row, version) VALUES (true, 1);
-- a counter without clinical content or tenant: no row-level security; the app role only reads it
GRANT SELECT ON care_relation_version TO ${app_role};

CREATE FUNCTION meridian_care_relations_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE care_relation_version SET version = version + 1 WHERE only_row;
    PERFORM set_config('app.access_facts_written', 'on', true);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION meridian_care_relations_changed() IS
    'Statement trigger: bumps care_relation_version and marks the transaction (app.access_facts_written).';
REVOKE ALL ON FUNCTION meridian_care_relations_changed() FROM PUBLIC;

CREATE FUNCTION meridian_care_relations_added() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM set_config('app.access_facts_written', 'on', true);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION meridian_care_relations_added() IS
    'Statement trigger on INSERT: marks the transaction (app.access_facts_written); no bump, no lock.';
REVOKE ALL ON FUNCTION meridian_care_relations_added() FROM PUBLIC;

CREATE TRIGGER care_relations_changed AFTER UPDATE OR DELETE OR TRUNCATE ON care_team
    FOR EACH STATEMENT EXECUTE FUNCTION meridian_care_relations_changed();
CREATE TRIGGER care_relations_changed AFTER UPDATE OR DELETE OR TRUNCATE ON care_team_member
    FOR EACH STATEMENT EXECUTE FUNCTION meridian_care_relations_changed();
CREATE TRIGGER care_relations_changed AFTER UPDATE OR DELETE OR TRUNCATE ON care_team_patient
    FOR EACH STATEMENT EXECUTE FUNCTION meridian_care_relations_changed();
CREATE TRIGGER care_relations_added AFTER INSERT ON care_team
    FOR EACH STATEMENT EXECUTE FUNCTION meridian_care_relations_added();
CREATE TRIGGER care_relations_added AFTER INSERT ON care_team_member
    FOR EACH STATEMENT EXECUTE FUNCTION meridian_care_relations_added();
CREATE TRIGGER care_relations_added AFTER INSERT ON care_team_patient
    FOR EACH STATEMENT EXECUTE FUNCTION meridian_care_relations_added();
