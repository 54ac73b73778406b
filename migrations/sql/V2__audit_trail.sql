-- Meridian EHR schema, step 2: the tamper-evident audit trail. Issue #5 (access control and audit).
-- Append-only file: never edit once landed.
--
-- One row per access decision (reads and searches too), in the shape of an IHE BALP / FHIR R4 AuditEvent: who
-- (subject, username, roles), on behalf of which institution (tenant_id), which record holder (custodian_id),
-- which patient (person_id, patient_ref), what (action C/R/U/D/E, interaction, resource type/id, query), when,
-- outcome (FHIR audit-event-outcome 0/4/8/12), purpose of use (v3 PurposeOfUse, e.g. TREAT, ETREAT, PATRQT).
--
-- Hash chain: a BEFORE INSERT trigger assigns seq, prev_hash and hash while holding the row lock of the single
-- audit_chain_head row, so concurrent writers are serialised and cannot fork the chain; a rolled-back
-- transaction releases the lock and leaves no gap. hash = sha256(prev_hash || '|' || audit_event_canonical(row)).
-- The canonical form is length-prefixed (n:value, '-' for NULL) and reproduced by the verifier
-- (migrations: health.meridian.migrations.AuditChainVerifier). The head row also detects a cut-off tail.

CREATE TABLE audit_event (
    seq           bigint      PRIMARY KEY,
    recorded_at   timestamptz NOT NULL,
    tenant_id     text,
    custodian_id  text,
    subject       text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    username      text,
    roles         text        NOT NULL DEFAULT '',
    person_id     text,
    patient_ref   text,
    action        char(1)     NOT NULL CHECK (action IN ('C', 'R', 'U', 'D', 'E')),
    interaction   text        NOT NULL CHECK (length(interaction) BETWEEN 1 AND 64),
    resource_type text,
    resource_id   text,
    query         text,
    outcome       text        NOT NULL CHECK (outcome IN ('0', '4', '8', '12')),
    purpose       text,
    detail        text,
    prev_hash     text        NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash          text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_event_tenant ON audit_event (tenant_id, recorded_at);
CREATE INDEX audit_event_custodian ON audit_event (custodian_id, recorded_at);
CREATE INDEX audit_event_person ON audit_event (person_id, recorded_at);
COMMENT ON TABLE audit_event IS 'Append-only, hash-chained audit trail (IHE BALP shape). The app may only INSERT and SELECT.';

CREATE TABLE audit_chain_head (
    id   boolean PRIMARY KEY DEFAULT true CHECK (id),
    seq  bigint  NOT NULL,
    hash text    NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash) VALUES (true, 0, repeat('0', 64));
COMMENT ON TABLE audit_chain_head IS 'The last link of the audit chain (seq, hash); its row lock serialises audit writers.';

CREATE FUNCTION audit_event_canonical(e audit_event) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT string_agg(CASE WHEN v IS NULL THEN '-' ELSE length(v)::text || ':' || v END, '|' ORDER BY n)
      FROM unnest(ARRAY[e.seq::text,
                        ((extract(epoch FROM e.recorded_at) * 1000000)::bigint)::text,
                        e.tenant_id, e.custodian_id, e.subject, e.username, e.roles, e.person_id, e.patient_ref,
                        e.action::text, e.interaction, e.resource_type, e.resource_id, e.query, e.outcome,
                        e.purpose, e.detail]) WITH ORDINALITY AS f(v, n)
$$;

CREATE FUNCTION audit_event_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    head audit_chain_head;
BEGIN
    SELECT * INTO STRICT head FROM audit_chain_head WHERE id FOR UPDATE;
    NEW.seq := head.seq + 1;
    NEW.recorded_at := date_trunc('microseconds', clock_timestamp());
    NEW.prev_hash := head.hash;
    NEW.hash := encode(sha256(convert_to(NEW.prev_hash || '|' || audit_event_canonical(NEW), 'UTF8')), 'hex');
    UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash WHERE id;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_chain();

-- Defence in depth: even roles with table privileges cannot change or remove audit rows without first disabling
-- this trigger (which needs ownership, and which the verifier would then expose through the broken chain).
CREATE FUNCTION audit_event_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'EHR-0701 audit_event is append-only';
END
$$;
CREATE TRIGGER audit_event_immutable BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_immutable();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_immutable();

-- Row-level security. The app inserts rows for any caller (denials of callers without an institution too) and
-- reads those of its institution (as actor or as custodian) or of the patient it acts for. The schema owner (who
-- runs the verifier) sees every row.
ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_event FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_append ON audit_event FOR INSERT TO ${app_role} WITH CHECK (true);
CREATE POLICY audit_read ON audit_event FOR SELECT TO ${app_role}
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR custodian_id = current_setting('app.tenant_id', true)
           OR person_id = current_setting('app.person_id', true));
CREATE POLICY audit_owner ON audit_event TO CURRENT_USER USING (true) WITH CHECK (true);

GRANT SELECT, INSERT ON audit_event TO ${app_role};
