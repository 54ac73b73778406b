-- Meridian EHR schema, step 23: a patient summary may carry the records about no patient its entries refer to
-- (issue #19: the IPS must be self-contained). Append-only file: never edit once landed.
--
-- A patient, a grantee at another institution or a share code's redeemer reads an institution's records about the
-- patient only (person_self, grant_access, share_summary). A Medication, Practitioner or Organization their
-- prescription names is about no patient, so the document kept only the reference's display. In the summary read
-- (app.share_scope = 'summary', V5) the app now binds app.summary_directory: the custodians of the summary's
-- permitted entries. Row-level security shows those institutions' records about no patient, as a second wall;
-- AccessPolicy.decideReferencedInSummary admits only the directory types an entry of the same custodian refers to.

CREATE POLICY summary_directory ON resource_head FOR SELECT
    USING (person_id IS NULL
           AND current_setting('app.share_scope', true) = 'summary'
           AND tenant_id = ANY (string_to_array(nullif(current_setting('app.summary_directory', true), ''), ',')));
CREATE POLICY summary_directory ON resource_version FOR SELECT
    USING (person_id IS NULL
           AND current_setting('app.share_scope', true) = 'summary'
           AND tenant_id = ANY (string_to_array(nullif(current_setting('app.summary_directory', true), ''), ','))
           AND sensitivity = '[]'::jsonb);
