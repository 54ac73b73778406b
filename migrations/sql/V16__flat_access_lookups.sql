-- Meridian EHR schema, step 16: access lookups whose cost does not grow with the data (issues #18 and #22, ADR 0020).
-- Append-only file: never edit once landed.
--
-- 1. A clinician's search scope lists the persons of their care teams. The application keeps that list per
--    practitioner and checks it against a fingerprint — each active team with the time its newest patient was
--    added — before reuse; this index makes the fingerprint one probe per team instead of a scan of the team's
--    patients. (Whether one person is in care is a probe of the primary key (tenant_id, team_id, person_id).)
CREATE INDEX care_team_patient_added ON care_team_patient (tenant_id, team_id, added_at);

-- 2. Finding the institutions that hold Type/id. The primary key leads with tenant_id, so a lookup by type and id
--    alone scanned the whole index (every read by id, every refused read); this index makes it one probe.
CREATE INDEX resource_head_type_id ON resource_head (resource_type, resource_id);

-- 3. Refused reads must cost the same whether the id is held elsewhere or nowhere (issue #18). Under row-level
--    security a row of another institution was found by the index and then hidden by the policies (the grant
--    policy queries access_grant for it), while an unknown id stopped at the index: measurably faster. The locator
--    now finds every holder of Type/id past the walls — custodian, person, security labels of the current version —
--    and the access policy decides on those facts before anything is read; the content of a record is still read
--    under row-level security (a second wall), only for holders the policy admitted. Like meridian_record_holders
--    (V7), what it returns never reaches a caller who may not see it: the application uses it only to decide.
CREATE FUNCTION meridian_record_locate(p_type text, p_id text)
    RETURNS TABLE (custodian_id text, person_id text, sensitivity jsonb)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT h.tenant_id, h.person_id, v.sensitivity
      FROM resource_head h
      JOIN resource_version v ON v.tenant_id = h.tenant_id AND v.resource_type = h.resource_type
                             AND v.resource_id = h.resource_id AND v.version = h.current_version
     WHERE h.resource_type = p_type AND h.resource_id = p_id
     ORDER BY (h.tenant_id = current_setting('app.tenant_id', true)) DESC NULLS LAST, h.tenant_id
     LIMIT 50
$$;
COMMENT ON FUNCTION meridian_record_locate(text, text) IS
    'Holders of Type/id past RLS (custodian, person, labels) for the access policy to decide on; never answered to a caller.';
REVOKE ALL ON FUNCTION meridian_record_locate(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meridian_record_locate(text, text) TO ${app_role};
