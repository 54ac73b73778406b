package health.meridian.infrastructure.persistence;

import static health.meridian.infrastructure.persistence.SqlValues.instant;

import health.meridian.domain.export.ExportJob;
import health.meridian.domain.export.ExportJobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Export jobs on PostgreSQL (V20), native SQL on the transaction's connection (row-level security applies). */
@ApplicationScoped
public class JpaExportJobs implements ExportJobRepository {

    private static final String COLUMNS = "id::text, tenant_id, person_id, requester, requested_by::text, level,"
            + " group_id, request_url, array_to_string(types, ','), since, array_to_string(persons, ','),"
            + " persons_done, status, transaction_time, finished_at, expires_at, message";

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;
    @Inject
    TenantBinding binding;

    @Override
    public void create(ExportJob job) {
        em.createNativeQuery("INSERT INTO export_job (id, tenant_id, person_id, requester, requested_by, level,"
                        + " group_id, request_url, types, since, persons, status) VALUES (CAST(?1 AS uuid), ?2, ?3,"
                        + " ?4, CAST(?5 AS jsonb), ?6, ?7, ?8, CAST(?9 AS text[]), CAST(?10 AS timestamptz),"
                        + " CAST(?11 AS text[]), 'queued')")
                .setParameter(1, job.id().toString()).setParameter(2, job.tenant()).setParameter(3, job.person())
                .setParameter(4, job.requester()).setParameter(5, job.requestedBy())
                .setParameter(6, job.level().code()).setParameter(7, job.groupId()).setParameter(8, job.requestUrl())
                .setParameter(9, array(typesColumn(job)))
                .setParameter(10, job.since() == null ? null : job.since().toString())
                .setParameter(11, array(job.persons())).executeUpdate();
    }

    @Override
    public Optional<ExportJob> find(UUID id) {
        return em.createNativeQuery("SELECT " + COLUMNS + " FROM export_job WHERE id = CAST(?1 AS uuid)")
                .setParameter(1, id.toString()).getResultList().stream().map(r -> job((Object[]) r)).findFirst();
    }

    @Override
    public Optional<ExportJob> claimNext(String owner, Duration lease) {
        binding.bindExportWorker();
        return em.createNativeQuery("UPDATE export_job SET lease_owner = ?1, lease_until = clock_timestamp()"
                        + " + make_interval(secs => ?2), runs = runs + 1, status = 'running',"
                        + " updated_at = clock_timestamp() WHERE id = (SELECT id FROM export_job"
                        + " WHERE status IN ('queued', 'running') AND (lease_until IS NULL"
                        + " OR lease_until < clock_timestamp()) ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING " + COLUMNS)
                .setParameter(1, owner).setParameter(2, (double) lease.toSeconds())
                .getResultList().stream().map(r -> job((Object[]) r)).findFirst();
    }

    @Override
    public boolean renew(UUID job, String owner, Duration lease) {
        binding.bindExportWorker();
        return em.createNativeQuery("UPDATE export_job SET lease_until = clock_timestamp() + make_interval(secs => ?3),"
                        + " updated_at = clock_timestamp() WHERE id = CAST(?1 AS uuid) AND lease_owner = ?2"
                        + " AND status = 'running'")
                .setParameter(1, job.toString()).setParameter(2, owner).setParameter(3, (double) lease.toSeconds())
                .executeUpdate() == 1;
    }

    @Override
    public void release(UUID job, String owner) {
        binding.bindExportWorker();
        em.createNativeQuery("UPDATE export_job SET lease_until = NULL, lease_owner = NULL"
                        + " WHERE id = CAST(?1 AS uuid) AND lease_owner = ?2")
                .setParameter(1, job.toString()).setParameter(2, owner).executeUpdate();
    }

    @Override
    public void exported(UUID job, int personsDone, List<Chunk> chunks) {
        binding.bindExportWorker();
        for (Chunk c : chunks) {
            em.createNativeQuery("INSERT INTO export_chunk (job_id, seq, resource_type, part, lines, content)"
                            + " VALUES (CAST(?1 AS uuid), ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, job.toString()).setParameter(2, c.seq()).setParameter(3, c.type())
                    .setParameter(4, c.part()).setParameter(5, c.lines()).setParameter(6, c.content())
                    .executeUpdate();
        }
        em.createNativeQuery("UPDATE export_job SET persons_done = ?2, updated_at = clock_timestamp()"
                        + " WHERE id = CAST(?1 AS uuid)")
                .setParameter(1, job.toString()).setParameter(2, personsDone).executeUpdate();
    }

    @Override
    public int lastSeq(UUID job) {
        binding.bindExportWorker();
        Object max = em.createNativeQuery("SELECT coalesce(max(seq), 0) FROM export_chunk WHERE job_id = CAST(?1 AS"
                + " uuid)").setParameter(1, job.toString()).getSingleResult();
        return ((Number) max).intValue();
    }

    @Override
    public List<FileSummary> files(UUID job) {
        List<?> rows = em.createNativeQuery("SELECT resource_type, part, sum(lines) FROM export_chunk"
                        + " WHERE job_id = CAST(?1 AS uuid) GROUP BY resource_type, part ORDER BY resource_type, part")
                .setParameter(1, job.toString()).getResultList();
        List<FileSummary> out = new ArrayList<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.add(new FileSummary((String) r[0], ((Number) r[1]).intValue(), ((Number) r[2]).longValue()));
        }
        return out;
    }

    @Override
    public List<Chunk> chunks(UUID job, String type, int part, int afterSeq, int limit) {
        List<?> rows = em.createNativeQuery("SELECT seq, lines, content FROM export_chunk WHERE job_id = CAST(?1 AS"
                        + " uuid) AND resource_type = ?2 AND part = ?3 AND seq > ?4 ORDER BY seq LIMIT ?5")
                .setParameter(1, job.toString()).setParameter(2, type).setParameter(3, part)
                .setParameter(4, afterSeq).setParameter(5, limit).getResultList();
        List<Chunk> out = new ArrayList<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.add(new Chunk(((Number) r[0]).intValue(), type, part, ((Number) r[1]).intValue(), (String) r[2]));
        }
        return out;
    }

    @Override
    public void finish(UUID job, ExportJob.Status status, String message, Duration retention) {
        binding.bindExportWorker();
        em.createNativeQuery("UPDATE export_job SET status = ?2, message = ?3, finished_at = clock_timestamp(),"
                        + " expires_at = clock_timestamp() + make_interval(secs => ?4), lease_owner = NULL,"
                        + " lease_until = NULL, updated_at = clock_timestamp() WHERE id = CAST(?1 AS uuid)"
                        + " AND status IN ('queued', 'running')")
                .setParameter(1, job.toString()).setParameter(2, status.code()).setParameter(3, message)
                .setParameter(4, (double) retention.toSeconds()).executeUpdate();
    }

    @Override
    public void cancel(UUID job) {
        em.createNativeQuery("DELETE FROM export_chunk WHERE job_id = CAST(?1 AS uuid)")
                .setParameter(1, job.toString()).executeUpdate();
        em.createNativeQuery("UPDATE export_job SET status = 'cancelled', finished_at = clock_timestamp(),"
                        + " expires_at = clock_timestamp(), lease_owner = NULL, lease_until = NULL,"
                        + " updated_at = clock_timestamp() WHERE id = CAST(?1 AS uuid)")
                .setParameter(1, job.toString()).executeUpdate();
    }

    @Override
    public int expire() {
        binding.bindExportWorker();
        return em.createNativeQuery("DELETE FROM export_job WHERE expires_at <= clock_timestamp()"
                + " OR status = 'cancelled'").executeUpdate();
    }

    /**
     * The {@code types} column holds the types and, without a column of their own (V20 has none), the
     * {@code _typeFilter} searches, each as {@code filter:} + its text in base64url (a plain identifier, as the
     * column's other entries).
     */
    private static final String FILTER = "filter:";

    private static List<String> typesColumn(ExportJob job) {
        List<String> column = new ArrayList<>(job.types());
        job.typeFilters().forEach(f -> column.add(FILTER + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(f.getBytes(StandardCharsets.UTF_8))));
        return column;
    }

    private static String filter(String entry) {
        return new String(Base64.getUrlDecoder().decode(entry.substring(FILTER.length())), StandardCharsets.UTF_8);
    }

    private static String array(List<String> values) {
        for (String v : values) {
            if (!v.matches("[A-Za-z0-9:._-]+")) {
                throw new IllegalArgumentException("EHR-1139 not a plain identifier: " + v);
            }
        }
        return "{" + String.join(",", values) + "}";
    }

    private static List<String> list(Object joined) {
        String s = (String) joined;
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }


    private static ExportJob job(Object[] r) {
        return new ExportJob(UUID.fromString((String) r[0]), (String) r[1], (String) r[2], (String) r[3],
                (String) r[4], ExportJob.Level.of((String) r[5]), (String) r[6], (String) r[7],
                list(r[8]).stream().filter(t -> !t.startsWith(FILTER)).toList(),
                list(r[8]).stream().filter(t -> t.startsWith(FILTER)).map(JpaExportJobs::filter).toList(),
                instant(r[9]), list(r[10]), ((Number) r[11]).intValue(), ExportJob.Status.of((String) r[12]),
                instant(r[13]), instant(r[14]), instant(r[15]), (String) r[16]);
    }
}
