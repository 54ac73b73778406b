-- Meridian EHR schema, step 28: the patient's consent to the outside-records hint (issue #20, ADR 0033).
-- Append-only file: never edit once landed.
--
--   outside_records_hint  one row per person who ever chose: whether clinicians who treat them may be told that
--                         other institutions hold records about them (not which, not how many, not what). Off unless
--                         the patient switched it on; written only by the patient themselves (app.person_id), each
--                         change audited by the application (AccessSeam.acting).
--
-- meridian_outside_records_hint(person, tenant) answers the one bit the chart's banner may show, past row-level
-- security: true only if the person opted in AND a record about them is held at an institution other than the
-- caller's. Without the opt-in it answers false without looking at the record store, so the answer (and its cost)
-- says nothing about other institutions. The application consumes it only inside AccessSeam, where AccessPolicy
-- decides whether the caller may be told (a care professional who may read the patient and has no grant that
-- already shows the records).

CREATE TABLE outside_records_hint (
    person_id  text        PRIMARY KEY CHECK (length(person_id) BETWEEN 1 AND 64),
    enabled    boolean     NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

ALTER TABLE outside_records_hint ENABLE ROW LEVEL SECURITY;
ALTER TABLE outside_records_hint FORCE ROW LEVEL SECURITY;
CREATE POLICY outside_hint_self ON outside_records_hint
    USING (person_id = current_setting('app.person_id', true))
    WITH CHECK (person_id = current_setting('app.person_id', true));
-- the owner reads rows only while it acts for the app inside the SECURITY DEFINER function below (as V7)
CREATE POLICY outside_hint_lookup ON outside_records_hint FOR SELECT TO CURRENT_USER
    USING (session_user <> current_user);

GRANT SELECT, INSERT ON outside_records_hint TO ${app_role};
GRANT UPDATE (enabled, changed_at) ON outside_records_hint TO ${app_role};

CREATE FUNCTION meridian_outside_records_hint(p_person text, p_tenant text)
    RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM outside_records_hint o WHERE o.person_id = p_person AND o.enabled)
                THEN EXISTS (SELECT 1 FROM resource_head h
                              WHERE h.person_id = p_person AND h.tenant_id <> p_tenant AND NOT h.deleted)
                ELSE false END
$$;
COMMENT ON FUNCTION meridian_outside_records_hint(text, text) IS
    'Opted in and held elsewhere than p_tenant, past RLS; one bit for AccessPolicy.decideOutsideRecordsHint only.';
REVOKE ALL ON FUNCTION meridian_outside_records_hint(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meridian_outside_records_hint(text, text) TO ${app_role};
