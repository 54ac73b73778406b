-- Meridian EHR schema, step 11: verifying the audit hash chain from inside the app (issue #8, admin console).
-- Append-only file: never edit once landed.
--
-- audit_chain_verify() recomputes the chain exactly as health.meridian.migrations.AuditChainVerifier does (and
-- `./meridian audit-verify` runs): every row in seq order must have seq = its position, prev_hash = the previous
-- row's hash (the genesis hash before the first), hash = sha256(prev_hash || '|' || canonical(row)); the chain
-- head must name the last row. It returns only the verdict (no row content), runs as the schema owner (who sees
-- every row; the app role sees only its institution's) and within the caller's snapshot (STABLE), so concurrent
-- appends cannot make a consistent chain look cut off. The canonical form is written out inline (the same
-- n:value / '-' encoding as audit_event_canonical) because calling that function per row is ~3x slower.

CREATE FUNCTION audit_chain_verify(OUT intact boolean, OUT rows_checked bigint, OUT broken_at bigint,
                                   OUT problem text, OUT head_seq bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    head audit_chain_head;
    bad record;
    total bigint;
    last_hash text;
BEGIN
    SELECT * INTO STRICT head FROM audit_chain_head WHERE id;
    head_seq := head.seq;
    WITH c AS (
        SELECT e.seq, row_number() OVER w AS expected, e.prev_hash, e.hash,
               coalesce(lag(e.hash) OVER w, repeat('0', 64)) AS previous,
               encode(sha256(convert_to(e.prev_hash || '|' || concat_ws('|',
                   length(e.seq::text) || ':' || e.seq::text,
                   length(((extract(epoch FROM e.recorded_at) * 1000000)::bigint)::text) || ':'
                       || ((extract(epoch FROM e.recorded_at) * 1000000)::bigint)::text,
                   coalesce(length(e.tenant_id) || ':' || e.tenant_id, '-'),
                   coalesce(length(e.custodian_id) || ':' || e.custodian_id, '-'),
                   coalesce(length(e.subject) || ':' || e.subject, '-'),
                   coalesce(length(e.username) || ':' || e.username, '-'),
                   coalesce(length(e.roles) || ':' || e.roles, '-'),
                   coalesce(length(e.person_id) || ':' || e.person_id, '-'),
                   coalesce(length(e.patient_ref) || ':' || e.patient_ref, '-'),
                   coalesce(length(e.action::text) || ':' || e.action::text, '-'),
                   coalesce(length(e.interaction) || ':' || e.interaction, '-'),
                   coalesce(length(e.resource_type) || ':' || e.resource_type, '-'),
                   coalesce(length(e.resource_id) || ':' || e.resource_id, '-'),
                   coalesce(length(e.query) || ':' || e.query, '-'),
                   coalesce(length(e.outcome) || ':' || e.outcome, '-'),
                   coalesce(length(e.purpose) || ':' || e.purpose, '-'),
                   coalesce(length(e.detail) || ':' || e.detail, '-')), 'UTF8')), 'hex') AS recomputed
          FROM audit_event e
        WINDOW w AS (ORDER BY e.seq))
    SELECT * INTO bad FROM c
     WHERE c.seq <> c.expected OR c.prev_hash <> c.previous OR c.recomputed <> c.hash
     ORDER BY c.expected LIMIT 1;
    IF FOUND THEN
        intact := false;
        rows_checked := bad.expected - 1;
        broken_at := least(bad.seq, bad.expected);
        problem := CASE
            WHEN bad.seq <> bad.expected THEN
                'expected seq ' || bad.expected || ', found seq ' || bad.seq || ' (missing or reordered)'
            WHEN bad.prev_hash <> bad.previous THEN 'prev_hash does not match the previous row (removed or reordered)'
            ELSE 'hash does not match the row''s content (altered)' END;
        RETURN;
    END IF;
    SELECT count(*) INTO total FROM audit_event;
    SELECT e.hash INTO last_hash FROM audit_event e ORDER BY e.seq DESC LIMIT 1;
    rows_checked := total;
    IF head.seq <> total OR head.hash <> coalesce(last_hash, repeat('0', 64)) THEN
        intact := false;
        broken_at := total + 1;
        problem := 'missing row(s): the chain head is at seq ' || head.seq;
    ELSE
        intact := true;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION audit_chain_verify() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_chain_verify() TO ${app_role};
