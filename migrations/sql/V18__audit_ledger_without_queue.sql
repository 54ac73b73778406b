-- Meridian EHR schema, step 18: audit appends without a queue row (issue #21, ADR 0019 as amended).
-- Append-only file: never edit once landed.
--
-- V15 queued every appended entry in audit_unsealed (a second row, its index and WAL per audited request) so that the
-- sealer would find entries whose transactions commit out of sequence order. pgbench put the append at 68–78 % of a
-- plain insert at 32–64 clients (docs/benchmarks.md). The sealer now finds them from the transaction ids instead:
--   * each entry records the id of the transaction that appended it (xid, taken BEFORE its seq: an entry's seq is
--     then always drawn after its transaction became visible as running);
--   * a sealing round reads, under one snapshot S, the entries with seq above the highest seq sealed so far, plus the
--     entries of the transactions that were still running at the previous round (audit_seal_cursor.pending), and
--     seals the committed ones in seq order (at most a batch: the first ones by seq);
--   * it then stores the highest seq sealed and, as the new pending set, the transactions running at S.
-- Why nothing is skipped: an entry committed after round r with a seq at or below round r's highest seal was drawn
-- before S_r, by a transaction that had its xid before drawing it — so running at S_r, so pending at round r+1 (and
-- every later round while it runs). Any other entry has a seq above the highest sealed. Why nothing is sealed twice:
-- the leaf's primary key on seq (and the candidates leave out sealed seqs). Entries of the V15 queue are drained
-- first; the queue table stays for them and receives nothing new. (The argument needs seq values drawn in time order:
-- audit_event_seq has the default CACHE 1, so no session holds a block of values drawn earlier. A round that finds
-- nothing moves nothing: the pending set stays the one taken when the highest seq sealed was set.)

ALTER TABLE audit_event ADD COLUMN xid xid8;
COMMENT ON COLUMN audit_event.xid IS
    'The appending transaction (pg_current_xact_id), taken before seq; lets the sealer find late commits (V18).';
CREATE INDEX audit_event_xid ON audit_event (xid) WHERE xid IS NOT NULL;

CREATE TABLE audit_seal_cursor (
    id       boolean  PRIMARY KEY DEFAULT true CHECK (id),
    max_seq  bigint   NOT NULL,
    pending  xid8[]   NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE audit_seal_cursor IS
    'The sealer''s position: highest seq sealed, and the transactions running at the last round (V18).';
INSERT INTO audit_seal_cursor (max_seq) SELECT coalesce(max(seq), 0) FROM audit_seal_leaf;

CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    NEW.xid := pg_current_xact_id();  -- first: the transaction is running before its seq is drawn
    NEW.seq := nextval('audit_event_seq');
    NEW.recorded_at := date_trunc('microseconds', clock_timestamp());
    NEW.prev_hash := NULL;
    NEW.hash := NULL;
    RETURN NEW;
END
$$;

-- The sealer's side: the committed, unsealed entries its statement's snapshot sees, in seq order (at most
-- max_entries), each with its leaf hash; and, on every row, the transactions running at that snapshot.
DROP FUNCTION audit_unsealed_next(integer);
CREATE FUNCTION audit_unsealed_next(max_entries integer)
    RETURNS TABLE (seq bigint, leaf_hash text, running xid8[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH cursor AS (SELECT max_seq, pending FROM audit_seal_cursor WHERE id),
         candidates AS (
             SELECT q.seq FROM audit_unsealed q
             UNION
             SELECT e.seq FROM audit_event e, cursor c WHERE e.seq > c.max_seq
             UNION
             SELECT e.seq FROM audit_event e, cursor c WHERE e.xid = ANY (c.pending)
         )
    SELECT e.seq, encode(sha256('\x00'::bytea || convert_to(audit_event_canonical(e), 'UTF8')), 'hex'),
           ARRAY(SELECT pg_snapshot_xip(pg_current_snapshot()))
      FROM candidates k
      JOIN audit_event e ON e.seq = k.seq
     WHERE NOT EXISTS (SELECT 1 FROM audit_seal_leaf l WHERE l.seq = k.seq)
     ORDER BY e.seq
     LIMIT max_entries
$$;
REVOKE ALL ON FUNCTION audit_unsealed_next(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_unsealed_next(integer) TO ${app_role};

-- Stores a signed batch (as V15) and moves the cursor: the highest seq sealed, and the transactions running at the
-- snapshot the batch was read under.
DROP FUNCTION audit_seal_commit(bigint, integer, text, text, timestamptz, text, text, bigint[], text[]);
CREATE FUNCTION audit_seal_commit(p_batch bigint, p_size integer, p_root text, p_previous text,
                                  p_sealed_at timestamptz, p_key_id text, p_signature text,
                                  p_seqs bigint[], p_leaf_hashes text[], p_running xid8[])
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
    INSERT INTO audit_seal (batch, size, root, previous, sealed_at, key_id, signature)
    VALUES (p_batch, p_size, p_root, p_previous, p_sealed_at, p_key_id, p_signature);
    INSERT INTO audit_seal_leaf (seq, batch, leaf_index, leaf_hash)
    SELECT s.seq, p_batch, (s.n - 1)::integer, h.leaf_hash
      FROM unnest(p_seqs) WITH ORDINALITY AS s(seq, n)
      JOIN unnest(p_leaf_hashes) WITH ORDINALITY AS h(leaf_hash, n) ON h.n = s.n;
    DELETE FROM audit_unsealed q WHERE q.seq = ANY (p_seqs);
    UPDATE audit_seal_cursor SET max_seq = greatest(max_seq, (SELECT max(s) FROM unnest(p_seqs) s)),
                                 pending = coalesce(p_running, '{}') WHERE id;
END
$$;
REVOKE ALL ON FUNCTION audit_seal_commit(bigint, integer, text, text, timestamptz, text, text, bigint[], text[],
    xid8[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_seal_commit(bigint, integer, text, text, timestamptz, text, text, bigint[], text[],
    xid8[]) TO ${app_role};

-- Entries in the trail but in no batch. queued_at is when an entry awaiting its batch was appended: one above the
-- highest seq sealed, one of a transaction pending since the last round, or one of V15's queue; NULL for an entry
-- the sealer will never pick up (at or below the highest seq sealed, its transaction not pending): it was inserted
-- behind the ledger's back, or its batch was removed. And V15 queue entries whose row is gone.
CREATE OR REPLACE FUNCTION audit_ledger_unsealed()
    RETURNS TABLE (seq bigint, queued_at timestamptz, in_trail boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT e.seq,
           CASE WHEN q.seq IS NOT NULL THEN q.queued_at
                WHEN e.seq > c.max_seq OR e.xid = ANY (c.pending) THEN e.recorded_at END,
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
