-- Meridian EHR schema, step 29: a version counter of the access facts (issue #21, ADR 0035).
-- Append-only file: never edit once landed.
--
--   access_fact_version  one row: a number bumped in the same transaction as any change of the tables the access
--                        facts are made of — access_grant, break_glass_session, share_code — and of the institution
--                        registry (tenant). An app instance keeps a clinician's facts (the rows, judged at each
--                        request's own instant) and the institution list, and reuses them only while the counter it
--                        reads in the request's binding statement equals the one they were loaded at. Nothing is
--                        trusted for a time alone: a change made anywhere (another instance, an admin path, psql)
--                        is seen by every instance on its very next request.
--
-- One global counter, not one per practitioner or institution: exact without having to know which callers a change
-- concerns (a grant to an institution concerns all its staff, a share code is redeemed by whoever presents it), and
-- these tables change rarely next to the reads that consult them. The bump is a statement-level trigger (once per
-- statement, not per row, also for TRUNCATE and for statements that change no row), so no write of these tables
-- can forget it, whoever runs it: the application role, an operator, a later migration. Its row lock serialises
-- the (rare) writers of these tables until they commit, which is what makes a reader that sees the new number also
-- see the change.
--
-- The bump also marks its own transaction (app.access_facts_written, transaction-local): a transaction that changed
-- the facts sees its own uncommitted number, so it must neither use nor fill an instance's cache (it may still roll
-- back). The binding statement reads the mark beside the number.

CREATE TABLE access_fact_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version  bigint  NOT NULL
);
COMMENT ON TABLE access_fact_version IS
    'One row: bumped by trigger with every change of access_grant, break_glass_session, share_code or tenant (ADR 0035).';
INSERT INTO access_fact_version (only_row, version) VALUES (true, 1);
-- registry data without clinical content or tenant: no row-level security; the app role only reads it
GRANT SELECT ON access_fact_version TO ${app_role};

CREATE FUNCTION meridian_access_facts_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE access_fact_version SET version = version + 1 WHERE only_row;
    PERFORM set_config('app.access_facts_written', 'on', true);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION meridian_access_facts_changed() IS
    'Statement trigger: bumps access_fact_version and marks the transaction (app.access_facts_written).';
REVOKE ALL ON FUNCTION meridian_access_facts_changed() FROM PUBLIC;

CREATE TRIGGER access_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON access_grant
    FOR EACH STATEMENT EXECUTE FUNCTION meridian_access_facts_changed();
CREATE TRIGGER access_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON break_glass_session
    FOR EACH STATEMENT EXECUTE FUNCTION meridian_access_facts_changed();
CREATE TRIGGER access_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON share_code
    FOR EACH STATEMENT EXECUTE FUNCTION meridian_access_facts_changed();
CREATE TRIGGER access_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenant
    FOR EACH STATEMENT EXECUTE FUNCTION meridian_access_facts_changed();
