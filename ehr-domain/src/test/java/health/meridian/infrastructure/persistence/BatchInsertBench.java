package health.meridian.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.EnvelopeExtractor;
import health.meridian.domain.record.RecordRepository.NewResource;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.tenant.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Opt-in, against a migrated Meridian database as its application role ({@code -Dbench.db.url=jdbc:postgresql://
 * 127.0.0.1:PORT/meridian}): the two write paths of {@link BatchInsert} side by side on the same rows (the Synthea
 * sample's resources, 2,000 per chunk, one transaction each, alternating), and row-level security on the COPY path —
 * a chunk bound to one tenant holding a row of another fails whole.
 */
@EnabledIfSystemProperty(named = "bench.db.url", matches = ".+")
class BatchInsertBench {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(System.getProperty("bench.db.url")
                + "?reWriteBatchedInserts=true&stringType=unspecified", "meridian_app", "meridian_app");
        c.setAutoCommit(false);
        return c;
    }

    private static void bind(Connection c, String tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('app.tenant_id', ?, false)")) {
            ps.setString(1, tenant);
            ps.execute();
        }
    }

    private static List<Resource> sample() throws Exception {
        List<Resource> out = new ArrayList<>();
        try (var files = Files.newDirectoryStream(Path.of("../ehr-web/src/test/resources/synthea/30-42"), "*.json.gz")) {
            for (Path f : files) {
                try (var in = new GZIPInputStream(Files.newInputStream(f))) {
                    FHIR.newJsonParser().parseResource(Bundle.class, in).getEntry().forEach(e -> out.add(e.getResource()));
                }
            }
        }
        return out;
    }

    private static List<NewResource> rows(List<Resource> sample, String tenant, int n) {
        EnvelopeExtractor extractor = new EnvelopeExtractor(FHIR);
        List<NewResource> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Resource r = sample.get(i % sample.size());
            String id = UUID.randomUUID().toString();
            out.add(new NewResource(new ResourceKey(TenantId.of(tenant), r.fhirType(), id), extractor.extract(r, id),
                    null, FHIR.newJsonParser().encodeResourceToString(r)));
        }
        return out;
    }

    private static long count(Connection c, String table, String tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void copyAndBatchesSideBySideAndRowLevelSecurityOnTheCopyPath() throws Exception {
        List<Resource> sample = sample();
        try (Connection c = connect()) {
            for (String t : List.of("bench-a", "bench-b")) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO tenant (id, name, country, region)"
                        + " VALUES (?, ?, 'NL', 'NH') ON CONFLICT DO NOTHING")) {
                    ps.setString(1, t);
                    ps.setString(2, t);
                    ps.executeUpdate();
                }
            }
            c.commit();
            bind(c, "bench-a");
            long before = count(c, "resource_version", "bench-a");
            // RLS: a chunk bound to bench-a with one row of bench-b fails whole, on both paths
            for (boolean copy : new boolean[] {true, false}) {
                List<NewResource> mixed = new ArrayList<>(rows(sample, "bench-a", 50));
                mixed.addAll(rows(sample, "bench-b", 1));
                assertThatThrownBy(() -> new BatchInsert(c, copy).insert(mixed)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("row-level security");
                c.rollback();
                bind(c, "bench-a");
                assertThat(count(c, "resource_version", "bench-a")).isEqualTo(before);
            }
            // side by side: same rows' shape, alternating, one transaction per chunk
            int chunk = Integer.getInteger("bench.chunk", 2000);
            int rounds = Integer.getInteger("bench.rounds", 6);
            long[] nanos = new long[2];
            int[] done = new int[2];
            for (int round = 0; round < rounds; round++) {
                for (int path = 0; path < 2; path++) {
                    boolean copy = (round + path) % 2 == 0;
                    List<NewResource> rows = rows(sample, "bench-a", chunk);
                    long t0 = System.nanoTime();
                    new BatchInsert(c, copy).insert(rows);
                    c.commit();
                    long t = System.nanoTime() - t0;
                    if (round > 0) { // the first round warms both up
                        nanos[copy ? 0 : 1] += t;
                        done[copy ? 0 : 1] += chunk;
                    }
                    System.out.printf("round %d %s: %d rows in %.0f ms%n", round, copy ? "COPY   " : "batches", chunk,
                            t / 1e6);
                }
            }
            bind(c, "bench-a");
            assertThat(count(c, "resource_version", "bench-a")).isEqualTo(before + (long) rounds * 2 * chunk);
            assertThat(count(c, "resource_head", "bench-a")).isGreaterThanOrEqualTo(before + (long) rounds * 2 * chunk);
            double copyRate = done[0] / (nanos[0] / 1e9);
            double batchRate = done[1] / (nanos[1] / 1e9);
            System.out.printf("COPY %.0f rows/s, batches %.0f rows/s, ratio %.2f%n", copyRate, batchRate,
                    copyRate / batchRate);
            c.commit();
        }
    }
}
