-- Meridian EHR schema, step 27: an audit append is a plain INSERT — no trigger on the request path (issue #21, ADR 0019
-- as amended). Append-only file: never edit once landed.
--
-- Since V18 the append trigger only stamped the row: the appending transaction's id, a seq from audit_event_seq, the
-- time, and NULL legacy hashes. It ran as a SECURITY DEFINER plpgsql function with its own search_path, so every audit
-- row paid a function call, a user switch and a GUC save/restore; pgbench put the append at 85–86 % of a plain insert
-- at 32 and 64 clients (docs/benchmarks.md). The same stamps are now column defaults, and the app role may only name
-- the other columns (column privileges), so it cannot supply a seq, an xid, a time or a hash of its own — a row naming
-- any of them is refused (before: silently overwritten).
--
-- The order of the two stamps no longer matters. V18 took the xid before the seq so that an entry's transaction was
-- known to be running when its seq was drawn. Since V19 the sealer's pending set is xip(S) plus every xid at or above
-- xmax(S): an entry drawn before round r's snapshot S_r and committed after it belongs to a transaction that either had
-- its xid at S_r (so it is in xip(S_r) or at or above xmax(S_r)) or took it after S_r (so at or above xmax(S_r), which
-- no xid assigned later is below). Either way it is a candidate of round r+1 and of every later round while it runs —
-- the V19 argument, without the ordering premise. seq values are still drawn in time order (CACHE 1, unchanged).

ALTER TABLE audit_event ALTER COLUMN seq SET DEFAULT nextval('audit_event_seq');
ALTER TABLE audit_event ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
ALTER TABLE audit_event ALTER COLUMN recorded_at SET DEFAULT clock_timestamp();
COMMENT ON COLUMN audit_event.xid IS
    'The appending transaction (pg_current_xact_id, a column default since V27); lets the sealer find late commits.';
DROP TRIGGER audit_event_chain ON audit_event;

-- The app role appends only through the defaults: it names the entry's content, never its position, time or hashes.
REVOKE INSERT ON audit_event FROM ${app_role};
GRANT INSERT (tenant_id, custodian_id, subject, username, roles, person_id, patient_ref, action, interaction,
              resource_type, resource_id, query, outcome, purpose, detail, app_client_id, app_name)
    ON audit_event TO ${app_role};
-- nextval() in a column default runs with the inserting role's rights. A value the app draws and never uses is a gap
-- in seq, as a rolled-back append already leaves one: the ledger seals the entries that exist, and a removed sealed
-- entry is still named by its batch's Merkle root.
GRANT USAGE ON SEQUENCE audit_event_seq TO ${app_role};
