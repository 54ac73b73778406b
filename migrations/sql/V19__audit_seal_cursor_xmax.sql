-- Meridian EHR schema, step 19: the sealer's pending set includes the transactions at or above its snapshot's xmax
-- (issue #21, ADR 0019 as amended). Append-only file: never edit once landed.
--
-- V18 took the transactions "running at snapshot S" as pg_snapshot_xip(S). That list only names running
-- transactions below the snapshot's xmax (one past the latest completed xid); a transaction whose xid is at or above
-- xmax is running for S too but is not listed. So: T1 takes xid 100, T2 takes xid 101 and draws seq 50, T1 draws
-- seq 51 and commits; a round under S (xmax 101, xip empty) seals 51 and stores an empty pending set; T2 commits and
-- its entry 50 is below the highest seq sealed and pending nowhere — never sealed (CI caught it: "entry 87 is in no
-- sealed batch and was never queued"). The pending set is now xip(S) plus every xid >= xmax(S) (pending_from).
-- The argument of V18 then holds: an entry committed after round r with a seq at or below round r's highest seal was
-- drawn before S_r by a transaction that already had its xid, so that transaction was running at S_r: its xid is in
-- xip(S_r) or at or above xmax(S_r) — a candidate of round r+1 and of every later round while it runs (a
-- transaction still running at S_{r+1} with xid below xmax(S_r) <= xmax(S_{r+1}) is in xip(S_{r+1})).

ALTER TABLE audit_seal_cursor ADD COLUMN pending_from xid8;
COMMENT ON COLUMN audit_seal_cursor.pending_from IS
    'xmax of the last round''s snapshot: transactions with an xid at or above it were running then too (V19).';
-- Until the first round under V19, every entry appended under V18 and in no batch yet is a candidate again (V18 may
-- have left some out; V18 never ran in a release, so these are development databases' entries).
UPDATE audit_seal_cursor c
   SET pending_from = coalesce((SELECT min(e.xid) FROM audit_event e
                                 WHERE e.xid IS NOT NULL
                                   AND NOT EXISTS (SELECT 1 FROM audit_seal_leaf l WHERE l.seq = e.seq)),
                               pg_snapshot_xmax(pg_current_snapshot()))
 WHERE c.id;

DROP FUNCTION audit_unsealed_next(integer);
CREATE FUNCTION audit_unsealed_next(max_entries integer)
    RETURNS TABLE (seq bigint, leaf_hash text, running xid8[], running_from xid8)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH cursor AS (SELECT max_seq, pending, pending_from FROM audit_seal_cursor WHERE id),
         candidates AS (
             SELECT q.seq FROM audit_unsealed q
             UNION
             SELECT e.seq FROM audit_event e, cursor c WHERE e.seq > c.max_seq
             UNION
             SELECT e.seq FROM audit_event e, cursor c WHERE e.xid = ANY (c.pending)
             UNION
             SELECT e.seq FROM audit_event e, cursor c WHERE e.xid >= c.pending_from
         )
    SELECT e.seq, encode(sha256('\x00'::bytea || convert_to(audit_event_canonical(e), 'UTF8')), 'hex'),
           ARRAY(SELECT pg_snapshot_xip(pg_current_snapshot())),
           pg_snapshot_xmax(pg_current_snapshot())
      FROM candidates k
      JOIN audit_event e ON e.seq = k.seq
     WHERE NOT EXISTS (SELECT 1 FROM audit_seal_leaf l WHERE l.seq = k.seq)
     ORDER BY e.seq
     LIMIT max_entries
$$;
REVOKE ALL ON FUNCTION audit_unsealed_next(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_unsealed_next(integer) TO ${app_role};

DROP FUNCTION audit_seal_commit(bigint, integer, text, text, timestamptz, text, text, bigint[], text[], xid8[]);
CREATE FUNCTION audit_seal_commit(p_batch bigint, p_size integer, p_root text, p_previous text,
                                  p_sealed_at timestamptz, p_key_id text, p_signature text,
                                  p_seqs bigint[], p_leaf_hashes text[], p_running xid8[], p_running_from xid8)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    last_batch bigint;
BEGIN
    SELECT coalesce(max(batch), 0) INTO last_batch FROM audit_seal;
    IF p_batch <> last_batch + 1 THEN
        RAISE EXCEPTION 'EHR-0723 audit batch % does not follow batch %', p_batch, last_batch;
    END IF;
    IF cardinality(p_seqs) <> p_size OR cardinality(p_leaf_hashes) <> p_size THEN
        RAISE EXCEPTION 'EHR-0723 audit batch % names % leaves', p_batch, p_size;
    END IF;
    IF p_running_from IS NULL THEN
        RAISE EXCEPTION 'EHR-0723 audit batch % names no snapshot xmax', p_batch;
    END IF;
    INSERT INTO audit_seal (batch, size, root, previous, sealed_at, key_id, signature)
    VALUES (p_batch, p_size, p_root, p_previous, p_sealed_at, p_key_id, p_signature);
    INSERT INTO audit_seal_leaf (seq, batch, leaf_index, leaf_hash)
    SELECT s.seq, p_batch, (s.n - 1)::integer, h.leaf_hash
      FROM unnest(p_seqs) WITH ORDINALITY AS s(seq, n)
      JOIN unnest(p_leaf_hashes) WITH ORDINALITY AS h(leaf_hash, n) ON h.n = s.n;
    DELETE FROM audit_unsealed q WHERE q.seq = ANY (p_seqs);
    UPDATE audit_seal_cursor SET max_seq = greatest(max_seq, (SELECT max(s) FROM unnest(p_seqs) s)),
                                 pending = coalesce(p_running, '{}'),
                                 pending_from = p_running_from WHERE id;
END
$$;
REVOKE ALL ON FUNCTION audit_seal_commit(bigint, integer, text, text, timestamptz, text, text, bigint[], text[],
    xid8[], xid8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_seal_commit(bigint, integer, text, text, timestamptz, text, text, bigint[], text[],
    xid8[], xid8) TO ${app_role};

-- As V18, with the transactions at or above pending_from counted as pending.
CREATE OR REPLACE FUNCTION audit_ledger_unsealed()
    RETURNS TABLE (seq bigint, queued_at timestamptz, in_trail boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT e.seq,
           CASE WHEN q.seq IS NOT NULL THEN q.queued_at
                WHEN e.seq > c.max_seq OR e.xid = ANY (c.pending) OR e.xid >= c.pending_from THEN e.recorded_at END,
           true
      FROM audit_event e
      CROSS JOIN audit_seal_cursor c
      LEFT JOIN audit_seal_leaf l ON l.seq = e.seq
      LEFT JOIN audit_unsealed q ON q.seq = e.seq
     WHERE l.seq IS NULL
    UNION ALL
    SELECT q.seq, q.queued_at, false
      FROM audit_unsealed q
     WHERE NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.seq = q.seq)
     ORDER BY 1
$$;
