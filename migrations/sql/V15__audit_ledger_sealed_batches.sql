-- Meridian EHR schema, step 15: the audit ledger without a global lock (issue #21, ADR 0019).
-- Append-only file: never edit once landed.
--
-- Until now every audit insert took the row lock of audit_chain_head (V2) until its transaction committed, so all
-- audited requests of all institutions queued on one row. From here on:
--   * an insert takes its seq from a sequence and queues itself in audit_unsealed (its own row: no shared lock);
--     prev_hash and hash stay NULL (the sealer computes the RFC 6962 leaf hash, SHA-256(0x00 || canonical text),
--     off the request path: hashing in the trigger cost a tenth of the append rate, docs/benchmarks.md);
--   * a sealer (one app instance at a time: pg_try_advisory_xact_lock) takes the queued entries its snapshot sees
--     (committed ones only; entries of transactions still running are sealed by a later batch, whatever their seq),
--     builds a Merkle tree over them in seq order, signs the tree head (batch, size, root, previous head's hash,
--     time, key id) with Ed25519 and stores it with one leaf row per entry: audit_seal_leaf's primary key on seq
--     means no entry is ever sealed twice, and the queue means none is skipped;
--   * the old hash chain is kept as it was up to the cut-over (audit_chain_head.seq, no longer moved) and is still
--     verified by audit_chain_verify(), restricted to those rows; the old rows are queued too, so they are sealed
--     into the ledger as well.
-- The canonical text is audit_event_canonical (V2): the same for chain and ledger, reproduced by the verifiers.

CREATE SEQUENCE audit_event_seq AS bigint;
SELECT setval('audit_event_seq', greatest((SELECT seq FROM audit_chain_head WHERE id), 1),
              (SELECT seq FROM audit_chain_head WHERE id) > 0);

ALTER TABLE audit_event ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_event ALTER COLUMN hash DROP NOT NULL;
COMMENT ON COLUMN audit_event.hash IS
    'Chain hash up to the V15 cut-over (audit_chain_head.seq); NULL after it (leaf hashes are in audit_seal_leaf).';

CREATE TABLE audit_unsealed (
    seq       bigint      PRIMARY KEY,
    queued_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE audit_unsealed IS 'Audit entries appended but not yet sealed into a signed batch (the sealer''s queue).';
INSERT INTO audit_unsealed (seq) SELECT seq FROM audit_event;

CREATE TABLE audit_signing_key (
    key_id        text        PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{16}$'),
    public_key    text        NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE audit_signing_key IS
    'Ed25519 public keys (X.509, base64) that signed audit tree heads; published at /.well-known/meridian-audit-keys.';

CREATE TABLE audit_seal (
    batch     bigint      PRIMARY KEY CHECK (batch > 0),
    size      integer     NOT NULL CHECK (size > 0),
    root      text        NOT NULL CHECK (root ~ '^[0-9a-f]{64}$'),
    previous  text        NOT NULL CHECK (previous ~ '^[0-9a-f]{64}$'),
    sealed_at timestamptz NOT NULL,
    key_id    text        NOT NULL REFERENCES audit_signing_key (key_id),
    signature text        NOT NULL
);
COMMENT ON TABLE audit_seal IS 'Signed tree heads of sealed audit batches, chained by the previous head''s hash.';

CREATE TABLE audit_seal_leaf (
    seq        bigint  PRIMARY KEY,
    batch      bigint  NOT NULL REFERENCES audit_seal (batch),
    leaf_index integer NOT NULL CHECK (leaf_index >= 0),
    leaf_hash  text    NOT NULL CHECK (leaf_hash ~ '^[0-9a-f]{64}$'),
    UNIQUE (batch, leaf_index)
);
COMMENT ON TABLE audit_seal_leaf IS 'Which batch sealed each audit entry, at which leaf, with which leaf hash.';

-- The ledger's tables are as append-only as the trail.
CREATE TRIGGER audit_seal_immutable BEFORE UPDATE OR DELETE ON audit_seal
    FOR EACH ROW EXECUTE FUNCTION audit_event_immutable();
CREATE TRIGGER audit_seal_leaf_immutable BEFORE UPDATE OR DELETE ON audit_seal_leaf
    FOR EACH ROW EXECUTE FUNCTION audit_event_immutable();
CREATE TRIGGER audit_signing_key_immutable BEFORE UPDATE OR DELETE ON audit_signing_key
    FOR EACH ROW EXECUTE FUNCTION audit_event_immutable();

-- The append: no lock shared with any other writer.
CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    NEW.seq := nextval('audit_event_seq');
    NEW.recorded_at := date_trunc('microseconds', clock_timestamp());
    NEW.prev_hash := NULL;
    NEW.hash := NULL;
    INSERT INTO audit_unsealed (seq) VALUES (NEW.seq);
    RETURN NEW;
END
$$;
COMMENT ON TABLE audit_chain_head IS 'The last link of the legacy audit hash chain (frozen at the V15 cut-over).';

-- The sealer's side: the next queued entries its snapshot sees, with their leaf hashes recomputed from the row.
CREATE FUNCTION audit_unsealed_next(max_entries integer)
    RETURNS TABLE (seq bigint, leaf_hash text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT q.seq, encode(sha256('\x00'::bytea || convert_to(audit_event_canonical(e), 'UTF8')), 'hex')
      FROM audit_unsealed q JOIN audit_event e ON e.seq = q.seq
     ORDER BY q.seq
     LIMIT max_entries
$$;

-- Stores a signed batch: refuses a batch number that does not follow the last one (no fork), and takes the
-- entries off the queue (the leaf primary key refuses an entry sealed before).
CREATE FUNCTION audit_seal_commit(p_batch bigint, p_size integer, p_root text, p_previous text,
                                  p_sealed_at timestamptz, p_key_id text, p_signature text,
                                  p_seqs bigint[], p_leaf_hashes text[])
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
END
$$;

-- The verifier's side (no row content leaves the database: seq numbers and hashes only).
CREATE FUNCTION audit_ledger_leaves(from_batch bigint, to_batch bigint)
    RETURNS TABLE (batch bigint, leaf_index integer, seq bigint, leaf_hash text, recomputed text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT l.batch, l.leaf_index, l.seq, l.leaf_hash,
           CASE WHEN e.seq IS NULL THEN NULL
                ELSE encode(sha256('\x00'::bytea || convert_to(audit_event_canonical(e), 'UTF8')), 'hex') END
      FROM audit_seal_leaf l LEFT JOIN audit_event e ON e.seq = l.seq
     WHERE l.batch BETWEEN from_batch AND to_batch
     ORDER BY l.batch, l.leaf_index
$$;

-- Entries that are in the trail but in no batch (queued or not), and queue entries whose row is gone.
CREATE FUNCTION audit_ledger_unsealed()
    RETURNS TABLE (seq bigint, queued_at timestamptz, in_trail boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT e.seq, q.queued_at, true
      FROM audit_event e
      LEFT JOIN audit_seal_leaf l ON l.seq = e.seq
      LEFT JOIN audit_unsealed q ON q.seq = e.seq
     WHERE l.seq IS NULL
    UNION ALL
    SELECT q.seq, q.queued_at, false
      FROM audit_unsealed q
     WHERE NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.seq = q.seq)
     ORDER BY 1
$$;

-- One entry's inclusion material for its patient (or the institution's admin): the batch's leaf hashes in order.
CREATE FUNCTION audit_ledger_batch_of(p_seq bigint)
    RETURNS TABLE (batch bigint, leaf_index integer, seq bigint, leaf_hash text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT l.batch, l.leaf_index, l.seq, l.leaf_hash
      FROM audit_seal_leaf l
     WHERE l.batch = (SELECT b.batch FROM audit_seal_leaf b WHERE b.seq = p_seq)
     ORDER BY l.leaf_index
$$;

-- The legacy chain is verified up to the cut-over only (rows after it are the ledger's).
CREATE OR REPLACE FUNCTION audit_chain_verify(OUT intact boolean, OUT rows_checked bigint, OUT broken_at bigint,
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
               encode(sha256(convert_to(coalesce(e.prev_hash, '') || '|' || audit_event_canonical(e), 'UTF8')), 'hex')
                   AS recomputed
          FROM audit_event e
         WHERE e.seq <= head.seq
        WINDOW w AS (ORDER BY e.seq))
    SELECT * INTO bad FROM c
     WHERE c.seq <> c.expected OR c.prev_hash IS DISTINCT FROM c.previous OR c.recomputed <> c.hash
        OR c.hash IS NULL
     ORDER BY c.expected LIMIT 1;
    IF FOUND THEN
        intact := false;
        rows_checked := bad.expected - 1;
        broken_at := least(bad.seq, bad.expected);
        problem := CASE
            WHEN bad.seq <> bad.expected THEN
                'expected seq ' || bad.expected || ', found seq ' || bad.seq || ' (missing or reordered)'
            WHEN bad.prev_hash IS DISTINCT FROM bad.previous THEN
                'prev_hash does not match the previous row (removed or reordered)'
            ELSE 'hash does not match the row''s content (altered)' END;
        RETURN;
    END IF;
    SELECT count(*) INTO total FROM audit_event e WHERE e.seq <= head.seq;
    SELECT e.hash INTO last_hash FROM audit_event e WHERE e.seq <= head.seq ORDER BY e.seq DESC LIMIT 1;
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

REVOKE ALL ON FUNCTION audit_unsealed_next(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_seal_commit(bigint, integer, text, text, timestamptz, text, text, bigint[], text[])
    FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_ledger_leaves(bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_ledger_unsealed() FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_ledger_batch_of(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_unsealed_next(integer) TO ${app_role};
GRANT EXECUTE ON FUNCTION audit_seal_commit(bigint, integer, text, text, timestamptz, text, text, bigint[], text[])
    TO ${app_role};
GRANT EXECUTE ON FUNCTION audit_ledger_leaves(bigint, bigint) TO ${app_role};
GRANT EXECUTE ON FUNCTION audit_ledger_unsealed() TO ${app_role};
GRANT EXECUTE ON FUNCTION audit_ledger_batch_of(bigint) TO ${app_role};
GRANT SELECT ON audit_seal TO ${app_role};
GRANT SELECT, INSERT ON audit_signing_key TO ${app_role};
