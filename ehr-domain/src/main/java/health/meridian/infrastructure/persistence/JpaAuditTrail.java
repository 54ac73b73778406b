package health.meridian.infrastructure.persistence;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditActor;
import health.meridian.domain.audit.AuditEntry;
import health.meridian.domain.audit.AuditFilter;
import health.meridian.domain.audit.AuditOutcome;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.audit.AuditTrail;
import health.meridian.domain.audit.ChainVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * {@link AuditTrail} on the audit_event table. The database trigger assigns seq, recorded_at and the hash chain;
 * this adapter only inserts the facts (native SQL: the app role has no UPDATE, so no entity state to flush). Reads
 * go through the view audit_event_seen (V13): row-level security picks the rows, the view redacts what the bound
 * reader may not see, and every filter applies to the redacted columns.
 */
@ApplicationScoped
public class JpaAuditTrail implements AuditTrail {

    private static final String COLUMNS = "seq, recorded_at, tenant_id, custodian_id, subject, username, roles,"
            + " person_id, patient_ref, action::text, interaction, resource_type, resource_id, query, outcome,"
            + " purpose, detail, hash, app_client_id, app_name";

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    /**
     * The entry's content only: seq, xid and recorded_at are column defaults (V27), and the app role may not name them
     * or the legacy hashes.
     */
    private static final String INSERT = "INSERT INTO audit_event (tenant_id, custodian_id, subject, username, roles, person_id, patient_ref, action, interaction, resource_type,"
            + " resource_id, query, outcome, purpose, detail, app_client_id, app_name) ";

    @Override
    public void append(AuditRecord r) {
        bind(em.createNativeQuery(INSERT + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"), r).executeUpdate();
    }

    /**
     * One INSERT ... SELECT over meridian_record_holders (V7): the holders never pass through the application. The
     * same one statement whether the record is held somewhere or nowhere (one row per holder, or one row naming
     * nobody), so a refused read of an id held elsewhere costs what a read of an unknown id costs. Rows after the
     * first carry audit_holder_echo() (V13), so that a reader who sees them redacted sees one row only.
     */
    @Override
    public void appendRefusal(AuditRecord r, String type, String id) {
        bind(em.createNativeQuery(INSERT + "SELECT CAST(?1 AS text), COALESCE(h.custodian_id, CAST(?2 AS text)), CAST(?3 AS text),"
                + " CAST(?4 AS text), CAST(?5 AS text), COALESCE(h.person_id, CAST(?6 AS text)),"
                + " COALESCE(h.patient_ref, CAST(?7 AS text)), CAST(?8 AS char(1)), CAST(?9 AS text),"
                + " CAST(?10 AS text), CAST(?11 AS text), CAST(?12 AS text), CAST(?13 AS text), CAST(?14 AS text),"
                + " CASE WHEN row_number() OVER (ORDER BY h.custodian_id) > 1"
                + " THEN coalesce(CAST(?15 AS text), '') || audit_holder_echo() ELSE CAST(?15 AS text) END,"
                + " CAST(?16 AS text), CAST(?17 AS text)"
                + " FROM (VALUES (1)) AS one"
                + " LEFT JOIN meridian_record_holders(CAST(?18 AS text), CAST(?19 AS text)) h ON true"
                + " ORDER BY h.custodian_id"), r)
                .setParameter(18, type).setParameter(19, id).executeUpdate();
    }

    /** One multi-row INSERT (one round trip); the column defaults draw each row's seq in list order. */
    @Override
    public void appendAll(List<AuditRecord> records) {
        if (records.size() == 1) {
            append(records.get(0));
            return;
        }
        StringBuilder sql = new StringBuilder(INSERT).append("VALUES ");
        for (int i = 0; i < records.size(); i++) {
            sql.append(i == 0 ? "(" : ", (");
            for (int p = 1; p <= ROW_PARAMETERS; p++) {
                sql.append(p == 1 ? "?" : ", ?").append(i * ROW_PARAMETERS + p);
            }
            sql.append(')');
        }
        Query insert = em.createNativeQuery(sql.toString());
        for (int i = 0; i < records.size(); i++) {
            bind(insert, records.get(i), i * ROW_PARAMETERS);
        }
        insert.executeUpdate();
    }

    /** The parameters of one row: the columns the app names. */
    private static final int ROW_PARAMETERS = 17;

    private static Query bind(Query insert, AuditRecord r) {
        return bind(insert, r, 0);
    }

    private static Query bind(Query insert, AuditRecord r, int offset) {
        Object[] values = {r.actor().tenant(), r.custodian(), r.actor().subject(), r.actor().username(),
            r.actor().rolesText(), r.personId(), r.patientRef(), r.action().name(), r.interaction(),
            r.resourceType(), r.resourceId(), r.query(), r.outcome().code(), r.purpose(), r.detail(),
            r.actor().appClientId(), r.actor().appName()};
        for (int i = 0; i < values.length; i++) {
            insert.setParameter(offset + i + 1, values[i]);
        }
        return insert;
    }

    @Override
    public ChainVerdict verifyChain() {
        Object[] row = (Object[]) em.createNativeQuery("SELECT intact, rows_checked, broken_at, problem, head_seq"
                + " FROM audit_chain_verify()").getSingleResult();
        return new ChainVerdict((Boolean) row[0], ((Number) row[1]).longValue(),
                row[2] == null ? null : ((Number) row[2]).longValue(), (String) row[3], ((Number) row[4]).longValue());
    }

    @Override
    public Optional<AuditEntry> entry(long seq) {
        List<?> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM audit_event_seen WHERE seq = ?1")
                .setParameter(1, seq).getResultList();
        return rows.stream().findFirst().map(row -> toEntry((Object[]) row));
    }

    @Override
    public List<AuditEntry> entries(String personId, String patientRef, Instant from, Instant to, int limit) {
        List<?> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM audit_event_seen"
                        + " WHERE (CAST(?1 AS text) IS NULL OR person_id = ?1)"
                        + " AND (CAST(?2 AS text) IS NULL OR patient_ref = ?2)"
                        + " AND (CAST(?3 AS timestamptz) IS NULL OR recorded_at >= ?3)"
                        + " AND (CAST(?4 AS timestamptz) IS NULL OR recorded_at < ?4)"
                        + " ORDER BY seq DESC LIMIT ?5")
                .setParameter(1, personId)
                .setParameter(2, patientRef)
                .setParameter(3, from == null ? null : Timestamp.from(from))
                .setParameter(4, to == null ? null : Timestamp.from(to))
                .setParameter(5, limit)
                .getResultList();
        return rows.stream().map(row -> toEntry((Object[]) row)).toList();
    }

    @Override
    public List<AuditEntry> search(AuditFilter f) {
        Object[] values = {f.user(), f.personId(), f.patientRef(), f.action() == null ? null : f.action().name(),
            f.outcome() == null ? null : f.outcome().code(), f.purpose(),
            f.from() == null ? null : Timestamp.from(f.from()), f.to() == null ? null : Timestamp.from(f.to()),
            f.beforeSeq(), f.limit()};
        Query q = em.createNativeQuery("SELECT " + COLUMNS + " FROM audit_event_seen"
                + " WHERE (CAST(?1 AS text) IS NULL OR username = ?1 OR subject = ?1)"
                + " AND (CAST(?2 AS text) IS NULL OR person_id = ?2)"
                + " AND (CAST(?3 AS text) IS NULL OR patient_ref = ?3)"
                + " AND (CAST(?4 AS text) IS NULL OR action = CAST(?4 AS char(1)))"
                + " AND (CAST(?5 AS text) IS NULL OR outcome = ?5)"
                + " AND (CAST(?6 AS text) IS NULL OR purpose = ?6)"
                + " AND (CAST(?7 AS timestamptz) IS NULL OR recorded_at >= ?7)"
                + " AND (CAST(?8 AS timestamptz) IS NULL OR recorded_at < ?8)"
                + " AND (CAST(?9 AS bigint) IS NULL OR seq < ?9)"
                + " ORDER BY seq DESC LIMIT ?10");
        for (int i = 0; i < values.length; i++) {
            q.setParameter(i + 1, values[i]);
        }
        return ((List<?>) q.getResultList()).stream().map(row -> toEntry((Object[]) row)).toList();
    }

    private static AuditEntry toEntry(Object[] c) {
        String roles = (String) c[6];
        AuditActor actor = new AuditActor((String) c[4], (String) c[5],
                roles == null || roles.isEmpty() ? java.util.Set.of() : new HashSet<>(Arrays.asList(roles.split(","))),
                (String) c[2], (String) c[18], (String) c[19]);
        AuditRecord record = new AuditRecord(actor, (String) c[3], (String) c[7], (String) c[8],
                AuditAction.valueOf((String) c[9]), (String) c[10], (String) c[11], (String) c[12],
                (String) c[13], AuditOutcome.ofCode((String) c[14]), (String) c[15], (String) c[16]);
        return new AuditEntry(((Number) c[0]).longValue(), ((Timestamp) c[1]).toInstant(), record, (String) c[17]);
    }

}
