-- Meridian EHR schema, step 30: the sealer's round costs what is unsealed, not what was ever audited (issue #21,
-- ADR 0019 as amended). Append-only file: never edit once landed.
--
-- V19's audit_unsealed_next was one SQL statement. Planned without the cursor's values (a CTE), its candidates
-- ("seq > max_seq", "xid >= pending_from") were estimated at a third of audit_event, and the planner joined them to
-- audit_event and anti-joined them to audit_seal_leaf by MERGE joins: walks of both primary keys from the first entry
-- ever audited up to the first candidate. On a bench database of 155,000 entries a round took 230 ms on a quiet
-- machine (66 ms mean under load, 17 rounds a second: one of the machine's two cores, wholly to the sealer), and the
-- cost grows with the trail, for ever.
--
-- Same contract, same candidates, same snapshot (a STABLE PL/pgSQL function runs its statements under the calling
-- query's snapshot, so the pending set it reports is the snapshot the candidates were read under, as V19 requires):
--   * the cursor is read first, so each candidate branch is planned with its actual bounds (index range scans);
--   * the "seq > max_seq" branch is cut at max_entries (every entry above max_seq is unsealed: max_seq is the highest
--     seq ever sealed, so its first max_entries are the only ones of it that can be among the round's first
--     max_entries);
--   * whether a candidate is sealed already is a scalar subquery (a probe of audit_seal_leaf's key per candidate),
--     which the planner never turns into a join; the round's seqs (at most max_entries) are then fetched one by one
--     through a LATERAL subquery that OFFSET 0 keeps from being flattened into a join. A hash or merge join here
--     reads the whole trail or the whole leaf table whenever the planner misjudges the candidates (an empty
--     audit_unsealed is estimated at 1,850 rows): the structure leaves it no such choice.
CREATE OR REPLACE FUNCTION audit_unsealed_next(max_entries integer)
    RETURNS TABLE (seq bigint, leaf_hash text, running xid8[], running_from xid8)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    cur audit_seal_cursor%ROWTYPE;
    snap pg_snapshot := pg_current_snapshot();
    round bigint[];
BEGIN
    SELECT c.* INTO cur FROM audit_seal_cursor c WHERE c.id;
    round := ARRAY(
        SELECT k.s
          FROM (SELECT q.seq AS s FROM audit_unsealed q
                UNION
                (SELECT e.seq FROM audit_event e WHERE e.seq > cur.max_seq ORDER BY e.seq LIMIT max_entries)
                UNION
                SELECT e.seq FROM audit_event e WHERE e.xid = ANY (cur.pending)
                UNION
                SELECT e.seq FROM audit_event e WHERE e.xid >= cur.pending_from) k
         WHERE (SELECT true FROM audit_seal_leaf l WHERE l.seq = k.s) IS NULL
         ORDER BY k.s
         LIMIT max_entries);
    RETURN QUERY
        SELECT x.seq, x.leaf_hash, ARRAY(SELECT pg_snapshot_xip(snap)), pg_snapshot_xmax(snap)
          FROM unnest(round) WITH ORDINALITY AS k(s, n)
          CROSS JOIN LATERAL (
              SELECT e.seq,
                     encode(sha256('\x00'::bytea || convert_to(audit_event_canonical(e), 'UTF8')), 'hex') AS leaf_hash
                FROM audit_event e
               WHERE e.seq = k.s
              OFFSET 0) x
         ORDER BY k.n;
END
$$;
COMMENT ON FUNCTION audit_unsealed_next(integer) IS
    'The sealer''s next entries (at most max_entries, seq order) with their leaf hashes and the snapshot''s running set; cost bounded by the unsealed entries (V30).';
REVOKE ALL ON FUNCTION audit_unsealed_next(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_unsealed_next(integer) TO ${app_role};
