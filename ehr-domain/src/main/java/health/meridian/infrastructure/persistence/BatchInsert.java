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
 * JDBC batches for the bulk path: version rows, head rows and outbox events of many new resources in three
 * batched statements on the transaction's own connection (so row-level security and atomicity are unchanged).
 */
final class BatchInsert {

    private static final StringListJsonConverter JSON = new StringListJsonConverter();

    private final Connection connection;

    BatchInsert(Connection connection) {
        this.connection = connection;
    }

    List<StoredResource> insert(List<NewResource> resources) throws SQLException {
        if (resources.isEmpty()) {
            return List.of();
        }
        versions(resources);
        heads(resources);
        outbox(resources);
        Instant now = Instant.now();
        return resources.stream().map(r -> new StoredResource(r.key(), 1, r.personId(), false, r.json(), now,
                r.envelope())).toList();
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
