package health.meridian.infrastructure.persistence;

import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.RecordRepository.NewResource;
import health.meridian.domain.record.StoredResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * The bulk path's inserts: version rows, head rows and outbox events of many new resources, on the transaction's
 * own connection (so row-level security and atomicity are unchanged).
 *
 * <p>With PostgreSQL's driver underneath: one {@code COPY} of the rows into a session-local staging table
 * ({@code TEMP}, no row-level security: it holds only this transaction's rows and is emptied before each use and at
 * commit), then three set-based {@code INSERT … SELECT} into {@code resource_version}, {@code resource_head} and
 * {@code outbox_event} — {@code COPY} straight into the record store is refused, its tables are {@code FORCE}d under
 * row-level security (ADR 0002), but the {@code INSERT}s are checked by its policies like any write: a row of
 * another tenant fails the whole chunk. Otherwise JDBC batches the driver rewrites into multi-row inserts.
 */
final class BatchInsert {

    private static final StringListJsonConverter JSON = new StringListJsonConverter();

    private static volatile boolean copyLogged;

    private final Connection connection;
    /** False: JDBC batches even on PostgreSQL (the opt-in {@code BatchInsertBench} compares the two). */
    private final boolean copyAllowed;

    BatchInsert(Connection connection) {
        this(connection, true);
    }

    BatchInsert(Connection connection, boolean copyAllowed) {
        this.connection = connection;
        this.copyAllowed = copyAllowed;
    }

    List<StoredResource> insert(List<NewResource> resources) throws SQLException {
        if (resources.isEmpty()) {
            return List.of();
        }
        if (copyAllowed && connection.isWrapperFor(org.postgresql.PGConnection.class)) {
            if (!copyLogged) {
                copyLogged = true;
                java.util.logging.Logger.getLogger(BatchInsert.class.getName()).info(
                        "bulk inserts: COPY into a staging table, then INSERT … SELECT");
            }
            copy(resources);
        } else {
            versions(resources);
            heads(resources);
            outbox(resources);
        }
        Instant now = Instant.now();
        return resources.stream().map(r -> new StoredResource(r.key(), 1, r.personId(), false, r.json(), now,
                r.envelope())).toList();
    }

    private static final String STAGE = "CREATE TEMP TABLE IF NOT EXISTS bulk_version_stage (ord integer,"
            + " tenant_id text, resource_type text, resource_id text, person_id text, patient_ref text,"
            + " effective_at timestamptz, category jsonb, codes jsonb, identifiers jsonb, sensitivity jsonb,"
            + " author text, content jsonb) ON COMMIT DELETE ROWS; TRUNCATE bulk_version_stage";
    private static final String COLUMNS = "tenant_id, resource_type, resource_id, person_id, patient_ref,"
            + " effective_at, category, codes, identifiers, sensitivity, author, content";

    /** COPY into the staging table, then set-based inserts into the record store (under its policies). */
    private void copy(List<NewResource> resources) throws SQLException {
        try (java.sql.Statement st = connection.createStatement()) {
            st.execute(STAGE);
        }
        StringBuilder rows = new StringBuilder(resources.size() * 2048);
        int ord = 0;
        for (NewResource r : resources) {
            RecordEnvelope e = r.envelope();
            rows.append(ord++);
            CopyText.field(rows, r.key().tenant().value());
            CopyText.field(rows, r.key().type());
            CopyText.field(rows, r.key().id());
            CopyText.field(rows, r.personId());
            CopyText.field(rows, e.patientRef());
            CopyText.field(rows, e.effectiveAt() == null ? null : e.effectiveAt().toString());
            CopyText.field(rows, (String) JSON.convertToDatabaseColumn(e.category()));
            CopyText.field(rows, (String) JSON.convertToDatabaseColumn(e.codes()));
            CopyText.field(rows, (String) JSON.convertToDatabaseColumn(e.identifiers()));
            CopyText.field(rows, (String) JSON.convertToDatabaseColumn(e.sensitivity()));
            CopyText.field(rows, e.author());
            CopyText.field(rows, r.json());
            rows.append('\n');
        }
        try {
            connection.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn("COPY bulk_version_stage (ord, "
                    + COLUMNS + ") FROM STDIN", new java.io.ByteArrayInputStream(rows.toString().getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new SQLException("EHR-0130 COPY failed: " + e.getMessage(), e);
        }
        try (java.sql.Statement st = connection.createStatement()) {
            st.executeUpdate("INSERT INTO resource_version (" + COLUMNS + ", version, deleted) SELECT " + COLUMNS
                    + ", 1, false FROM bulk_version_stage ORDER BY ord");
            st.executeUpdate("INSERT INTO resource_head (tenant_id, resource_type, resource_id, current_version,"
                    + " deleted, person_id, identifiers) SELECT tenant_id, resource_type, resource_id, 1, false,"
                    + " person_id, identifiers FROM bulk_version_stage ORDER BY ord");
            st.executeUpdate("INSERT INTO outbox_event (tenant_id, resource_type, resource_id, version)"
                    + " SELECT tenant_id, resource_type, resource_id, 1 FROM bulk_version_stage ORDER BY ord");
            st.execute("TRUNCATE bulk_version_stage");
        }
    }

    private void versions(List<NewResource> resources) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO resource_version (tenant_id,"
                + " resource_type, resource_id, version, person_id, patient_ref, effective_at, category, codes,"
                + " identifiers, sensitivity, author, deleted, content) VALUES (?,?,?,1,?,?,?,?,?,?,?,?,false,?)")) {
            for (NewResource r : resources) {
                RecordEnvelope e = r.envelope();
                ps.setString(1, r.key().tenant().value());
                ps.setString(2, r.key().type());
                ps.setString(3, r.key().id());
                ps.setString(4, r.personId());
                ps.setString(5, e.patientRef());
                if (e.effectiveAt() == null) {
                    ps.setNull(6, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    ps.setTimestamp(6, Timestamp.from(e.effectiveAt()));
                }
                ps.setString(7, (String) JSON.convertToDatabaseColumn(e.category()));
                ps.setString(8, (String) JSON.convertToDatabaseColumn(e.codes()));
                ps.setString(9, (String) JSON.convertToDatabaseColumn(e.identifiers()));
                ps.setString(10, (String) JSON.convertToDatabaseColumn(e.sensitivity()));
                ps.setString(11, e.author());
                ps.setString(12, r.json());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void heads(List<NewResource> resources) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO resource_head (tenant_id,"
                + " resource_type, resource_id, current_version, deleted, person_id, identifiers)"
                + " VALUES (?,?,?,1,false,?,?)")) {
            for (NewResource r : resources) {
                ps.setString(1, r.key().tenant().value());
                ps.setString(2, r.key().type());
                ps.setString(3, r.key().id());
                ps.setString(4, r.personId());
                ps.setString(5, (String) JSON.convertToDatabaseColumn(r.envelope().identifiers()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void outbox(List<NewResource> resources) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO outbox_event (tenant_id,"
                + " resource_type, resource_id, version) VALUES (?,?,?,1)")) {
            for (NewResource r : resources) {
                ps.setString(1, r.key().tenant().value());
                ps.setString(2, r.key().type());
                ps.setString(3, r.key().id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
