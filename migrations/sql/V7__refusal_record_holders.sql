-- Meridian EHR schema, step 7: refused reads reach the patient's access log (issues #5 and #7).
-- Append-only file: never edit once landed.
--
-- A refused read by id (another institution's clinician, no care relationship, no grant...) is audited, but row-level
-- security hides the target from the refused caller, so the application cannot say whose record it was. Here the
-- audit trail learns it without the caller learning it: meridian_record_holders(type, id) names the institutions
-- holding a record with that type and id and the person it is about, looked up past the RLS walls. The application
-- consumes it only inside the INSERT ... SELECT of the refusal's audit row (JpaAuditTrail.appendRefusal), never
-- reads it back into the request, and answers the caller's 404 exactly as for a record that does not exist.
--
-- The function runs as the schema owner (SECURITY DEFINER). FORCE ROW LEVEL SECURITY applies to the owner as well,
-- so the owner gets a SELECT policy on the record store that holds only while it acts for another session user,
-- i.e. inside a SECURITY DEFINER function called by the app; the owner's own sessions (migrations, verifier, tests)
-- are unchanged and still see only the tenant they bind.

CREATE POLICY record_holders ON resource_head FOR SELECT TO CURRENT_USER
    USING (session_user <> current_user);
CREATE POLICY record_holders ON resource_version FOR SELECT TO CURRENT_USER
    USING (session_user <> current_user);

CREATE FUNCTION meridian_record_holders(p_type text, p_id text)
    RETURNS TABLE (custodian_id text, person_id text, patient_ref text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT h.tenant_id, h.person_id, v.patient_ref
      FROM resource_head h
      JOIN resource_version v ON v.tenant_id = h.tenant_id AND v.resource_type = h.resource_type
                             AND v.resource_id = h.resource_id AND v.version = h.current_version
     WHERE h.resource_type = p_type AND h.resource_id = p_id AND h.person_id IS NOT NULL
     ORDER BY h.tenant_id
     LIMIT 10
$$;
COMMENT ON FUNCTION meridian_record_holders(text, text) IS
    'Custodians and person of Type/id past RLS; only for the audit row of a refused read (never returned to a caller).';
REVOKE ALL ON FUNCTION meridian_record_holders(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meridian_record_holders(text, text) TO ${app_role};
