-- Meridian EHR schema, step 12: audit readers filter on what they see; share-code attempts reserved atomically
-- (issue #18). Append-only file: never edit once landed.
--
-- 1. Audit: the redaction happens in the query, so a reader filters only by what they can see.
--    audit_event_seen is the audit trail as the bound reader sees it (security_invoker: the row-level security of
--    audit_event applies to the reader). Its custodian_id, person_id and patient_ref are NULL on a row about a
--    patient that the reader may not see: the reader is neither that patient (app.person_id), nor the institution
--    holding the record (app.tenant_id = custodian_id), nor the institution whose staff accessed it with success
--    (a refused attempt names the holder the caller was refused, which is more than the refused side's 404 said).
--    The application's audit searches filter on the view's columns, never on audit_event's, so `patient=` cannot
--    match a redacted row. A platform admin (app.audit_scope = 'platform') sees the rows of actors without an
--    institution (platform admins, unauthenticated callers, failed logins), redacted the same way: a refused
--    attempt on a record held somewhere then looks exactly like one on a record held nowhere.
--
--    A refused read of Type/id writes one row per holding institution (V7). Rows after the first carry the marker
--    audit_holder_echo() at the end of their detail; the view drops those rows where the row is redacted (so the
--    refused side sees one row, whatever the number of holders) and strips the marker elsewhere.
--
--    Row-level security: a patient's own actions (actor role patient) are no longer shown to the institution they
--    act from (tenant_id), only to the institution holding the record (custodian_id) and to the patient: a patient's
--    reads of other institutions' records are not their home institution's business.
--
-- 2. Share codes: share_code_failure becomes the ledger of redemption attempts. An attempt is reserved (counted,
--    then inserted, under advisory locks per subject and per client address) in one short transaction before the
--    code is looked at, so parallel guesses cannot pass the limit; a successful redemption marks its attempt
--    (redeemed_at) in the redemption's transaction, and only unmarked attempts count as failures.

CREATE FUNCTION audit_patient_actor(p_roles text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT 'patient' = ANY (string_to_array(p_roles, ','))
$$;

CREATE FUNCTION audit_holder_echo() RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ' (further holder)'
$$;

CREATE FUNCTION audit_redacted(p_person text, p_custodian text, p_tenant text, p_outcome text, p_roles text)
    RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT p_person IS NOT NULL
       AND p_person IS DISTINCT FROM nullif(current_setting('app.person_id', true), '')
       AND p_custodian IS DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')
       AND NOT (p_tenant IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')
                AND p_tenant IS NOT NULL AND p_outcome = '0' AND NOT audit_patient_actor(p_roles))
$$;
COMMENT ON FUNCTION audit_redacted(text, text, text, text, text) IS
    'Is this audit row about a patient the bound reader may not see (then custodian, person and patient are hidden)?';

ALTER POLICY audit_read ON audit_event
    USING (custodian_id = current_setting('app.tenant_id', true)
           OR (tenant_id = current_setting('app.tenant_id', true) AND NOT audit_patient_actor(roles))
           OR person_id = current_setting('app.person_id', true));

ALTER POLICY audit_platform_read ON audit_event
    USING (current_setting('app.audit_scope', true) = 'platform'
           AND tenant_id IS NULL AND NOT audit_patient_actor(roles));

CREATE VIEW audit_event_seen WITH (security_invoker = true) AS
SELECT e.seq, e.recorded_at, e.tenant_id,
       CASE WHEN r.redacted THEN NULL ELSE e.custodian_id END AS custodian_id,
       e.subject, e.username, e.roles,
       CASE WHEN r.redacted THEN NULL ELSE e.person_id END AS person_id,
       CASE WHEN r.redacted THEN NULL ELSE e.patient_ref END AS patient_ref,
       e.action, e.interaction, e.resource_type, e.resource_id, e.query, e.outcome, e.purpose,
       CASE WHEN r.echo THEN left(e.detail, -length(audit_holder_echo())) ELSE e.detail END AS detail,
       e.hash
  FROM audit_event e
 CROSS JOIN LATERAL (SELECT audit_redacted(e.person_id, e.custodian_id, e.tenant_id, e.outcome, e.roles) AS redacted,
                            coalesce(right(e.detail, length(audit_holder_echo())) = audit_holder_echo(), false)
                                AS echo) r
 WHERE NOT (r.redacted AND r.echo);
COMMENT ON VIEW audit_event_seen IS
    'The audit trail as the bound reader sees it: rows by RLS, patient columns redacted in the query (issue #18).';
GRANT SELECT ON audit_event_seen TO ${app_role};

ALTER TABLE share_code_failure ADD COLUMN redeemed_at timestamptz;
COMMENT ON COLUMN share_code_failure.redeemed_at IS
    'Set when the reserved attempt redeemed a code; attempts without it count as failures.';
CREATE POLICY failure_redeemed ON share_code_failure FOR UPDATE
    USING (subject = current_setting('app.subject', true))
    WITH CHECK (subject = current_setting('app.subject', true));
GRANT UPDATE (redeemed_at) ON share_code_failure TO ${app_role};
