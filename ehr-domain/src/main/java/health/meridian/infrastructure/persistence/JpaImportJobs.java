package health.meridian.infrastructure.persistence;

import static health.meridian.infrastructure.persistence.SqlValues.instant;

import health.meridian.domain.ingest.ImportInput;
import health.meridian.domain.ingest.ImportJob;
import health.meridian.domain.ingest.ImportJobRepository;
import health.meridian.domain.ingest.ImportLineError;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Import jobs on PostgreSQL (V17), native SQL on the transaction's connection (row-level security applies). */
@ApplicationScoped
public class JpaImportJobs implements ImportJobRepository {

    private static final String JOB_COLUMNS = "id::text, tenant_id, kind, status, requested_by::text, request_url,"
            + " created_at, loaded_at, finished_at, runs, committed, failed, validated, quarantined, message";

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;
    @Inject
    TenantBinding binding;

    @Override
    public void create(ImportJob job, List<NewInput> inputs) {
        em.createNativeQuery("INSERT INTO import_job (id, tenant_id, kind, status, requested_by, request_url)"
                        + " VALUES (CAST(?1 AS uuid), ?2, ?3, 'queued', CAST(?4 AS jsonb), ?5)")
                .setParameter(1, job.id().toString()).setParameter(2, job.tenant().value())
                .setParameter(3, job.kind()).setParameter(4, job.requestedBy()).setParameter(5, job.requestUrl())
                .executeUpdate();
        for (int i = 0; i < inputs.size(); i++) {
            NewInput in = inputs.get(i);
            em.createNativeQuery("INSERT INTO import_input (job_id, ordinal, tenant_id, resource_type, source, content)"
                            + " VALUES (CAST(?1 AS uuid), ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, job.id().toString()).setParameter(2, i).setParameter(3, job.tenant().value())
                    .setParameter(4, in.resourceType()).setParameter(5, in.source()).setParameter(6, in.content())
                    .executeUpdate();
        }
    }

    @Override
    public Optional<ImportJob> find(UUID id) {
        List<?> rows = em.createNativeQuery("SELECT " + JOB_COLUMNS + " FROM import_job WHERE id = CAST(?1 AS uuid)")
                .setParameter(1, id.toString()).getResultList();
        return rows.stream().map(r -> job((Object[]) r)).findFirst();
    }

    @Override
    public Optional<ImportJob> claimNext(String owner, Duration lease, java.util.Set<ImportJob.Phase> phases) {
        binding.bindImportWorker();
        List<?> rows = em.createNativeQuery("UPDATE import_job SET lease_owner = ?1, lease_until = clock_timestamp()"
                        + " + make_interval(secs => ?2), runs = runs + 1, updated_at = clock_timestamp()"
                        + " WHERE id = (SELECT id FROM import_job WHERE status = ANY (CAST(?3 AS text[]))"
                        + " AND (lease_until IS NULL OR lease_until < clock_timestamp()) ORDER BY created_at LIMIT 1"
                        + " FOR UPDATE SKIP LOCKED) RETURNING " + JOB_COLUMNS)
                .setParameter(1, owner).setParameter(2, (double) lease.toSeconds())
                .setParameter(3, "{" + String.join(",", phases.stream().map(ImportJob.Phase::code).toList()) + "}")
                .getResultList();
        return rows.stream().map(r -> job((Object[]) r)).findFirst();
    }

    @Override
    public boolean renew(UUID job, String owner, Duration lease) {
        return em.createNativeQuery("UPDATE import_job SET lease_until = clock_timestamp() + make_interval(secs => ?3),"
                        + " updated_at = clock_timestamp() WHERE id = CAST(?1 AS uuid) AND lease_owner = ?2")
                .setParameter(1, job.toString()).setParameter(2, owner).setParameter(3, (double) lease.toSeconds())
                .executeUpdate() == 1;
    }

    @Override
    public Optional<ImportJob.Phase> cancel(UUID job) {
        List<?> before = em.createNativeQuery("SELECT status FROM import_job WHERE id = CAST(?1 AS uuid) FOR UPDATE")
                .setParameter(1, job.toString()).getResultList();
        if (before.isEmpty() || !ImportJob.Phase.of((String) before.get(0)).active()) {
            return Optional.empty();
        }
        em.createNativeQuery("UPDATE import_job SET status = 'cancelled', lease_owner = NULL, lease_until = NULL,"
                        + " finished_at = clock_timestamp(), updated_at = clock_timestamp(),"
                        + " message = 'EHR-1041 cancelled by its importer' WHERE id = CAST(?1 AS uuid)")
                .setParameter(1, job.toString()).executeUpdate();
        return Optional.of(ImportJob.Phase.of((String) before.get(0)));
    }

    @Override
    public void release(UUID job, String owner) {
        em.createNativeQuery("UPDATE import_job SET lease_until = NULL, lease_owner = NULL"
                        + " WHERE id = CAST(?1 AS uuid) AND lease_owner = ?2")
                .setParameter(1, job.toString()).setParameter(2, owner).executeUpdate();
    }

    @Override
    public List<ImportInput> inputs(UUID job) {
        List<?> rows = em.createNativeQuery("SELECT ordinal, resource_type, source, lines_done, validated_lines,"
                        + " committed FROM import_input WHERE job_id = CAST(?1 AS uuid) ORDER BY ordinal")
                .setParameter(1, job.toString()).getResultList();
        List<ImportInput> out = new ArrayList<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.add(new ImportInput(num(r[0]), (String) r[1], (String) r[2], num(r[3]), num(r[4]),
                    ((Number) r[5]).longValue()));
        }
        return out;
    }

    @Override
    public Optional<String> content(UUID job, int ordinal) {
        List<?> rows = em.createNativeQuery("SELECT content FROM import_input WHERE job_id = CAST(?1 AS uuid)"
                + " AND ordinal = ?2").setParameter(1, job.toString()).setParameter(2, ordinal).getResultList();
        return rows.stream().map(String.class::cast).findFirst();
    }

    @Override
    public void loaded(UUID job, int ordinal, int linesDone, int committed, int failed) {
        em.createNativeQuery("UPDATE import_input SET lines_done = ?3, committed = committed + ?4"
                        + " WHERE job_id = CAST(?1 AS uuid) AND ordinal = ?2")
                .setParameter(1, job.toString()).setParameter(2, ordinal).setParameter(3, linesDone)
                .setParameter(4, committed).executeUpdate();
        em.createNativeQuery("UPDATE import_job SET committed = committed + ?2, failed = failed + ?3,"
                        + " updated_at = clock_timestamp() WHERE id = CAST(?1 AS uuid)")
                .setParameter(1, job.toString()).setParameter(2, committed).setParameter(3, failed).executeUpdate();
    }

    @Override
    public void validated(UUID job, int ordinal, int validatedLines, int validated, int quarantined) {
        em.createNativeQuery("UPDATE import_input SET validated_lines = ?3 WHERE job_id = CAST(?1 AS uuid)"
                        + " AND ordinal = ?2")
                .setParameter(1, job.toString()).setParameter(2, ordinal).setParameter(3, validatedLines)
                .executeUpdate();
        em.createNativeQuery("UPDATE import_job SET validated = validated + ?2, quarantined = quarantined + ?3,"
                        + " updated_at = clock_timestamp() WHERE id = CAST(?1 AS uuid)")
                .setParameter(1, job.toString()).setParameter(2, validated).setParameter(3, quarantined)
                .executeUpdate();
    }

    @Override
    public void errors(UUID job, Collection<ImportLineError> errors) {
        lines("import_error", job, errors);
    }

    @Override
    public void issues(UUID job, Collection<ImportLineError> issues) {
        lines("import_issue", job, issues);
    }

    private void lines(String table, UUID job, Collection<ImportLineError> lines) {
        String tenant = tenantOf(job);
        for (ImportLineError e : lines) {
            em.createNativeQuery("INSERT INTO " + table + " (job_id, ordinal, line, tenant_id, outcome"
                            + ("import_issue".equals(table) ? ", resource_type, resource_id" : "")
                            + ") VALUES (CAST(?1 AS uuid), ?2, ?3, ?4, CAST(?5 AS jsonb)"
                            + ("import_issue".equals(table) ? ", '" + safe(e.resourceType()) + "', '"
                            + safe(e.resourceId()) + "'" : "") + ") ON CONFLICT DO NOTHING")
                    .setParameter(1, job.toString()).setParameter(2, e.ordinal()).setParameter(3, e.line())
                    .setParameter(4, tenant).setParameter(5, e.outcomeJson())
                    .executeUpdate();
        }
    }

    /** Resource types and ids of stored records: letters, digits, '-' and '.' only (V1's checks). */
    private static String safe(String value) {
        if (value == null || !value.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw new IllegalArgumentException("EHR-1040 not a stored resource type or id: " + value);
        }
        return value;
    }

    private String tenantOf(UUID job) {
        return (String) em.createNativeQuery("SELECT tenant_id FROM import_job WHERE id = CAST(?1 AS uuid)")
                .setParameter(1, job.toString()).getSingleResult();
    }

    @Override
    public void persons(UUID job, Collection<String> persons) {
        if (persons.isEmpty()) {
            return;
        }
        em.createNativeQuery("INSERT INTO import_person (job_id, person_id, tenant_id) SELECT CAST(?1 AS uuid), p,"
                        + " ?2 FROM unnest(CAST(?3 AS text[])) AS p ON CONFLICT DO NOTHING")
                .setParameter(1, job.toString()).setParameter(2, tenantOf(job))
                .setParameter(3, "{" + String.join(",", persons.stream().map(p -> "\"" + p + "\"").toList()) + "}")
                .executeUpdate();
    }

    @Override
    public List<String> personsOf(UUID job) {
        return em.createNativeQuery("SELECT person_id FROM import_person WHERE job_id = CAST(?1 AS uuid)"
                + " ORDER BY person_id").setParameter(1, job.toString()).getResultList().stream()
                .map(String.class::cast).toList();
    }

    @Override
    public void phase(UUID job, ImportJob.Phase phase, String message) {
        String stamp = switch (phase) {
            case VALIDATING -> ", loaded_at = clock_timestamp()";
            case COMPLETE, FAILED -> ", finished_at = clock_timestamp(), lease_owner = NULL, lease_until = NULL";
            default -> "";
        };
        em.createNativeQuery("UPDATE import_job SET status = ?2, message = COALESCE(?3, message),"
                        + " updated_at = clock_timestamp()" + stamp + " WHERE id = CAST(?1 AS uuid)"
                        + " AND status <> 'cancelled'")
                .setParameter(1, job.toString()).setParameter(2, phase.code()).setParameter(3, message)
                .executeUpdate();
    }

    @Override
    public List<ImportLineError> errorsOf(UUID job, int afterOrdinal, int afterLine, int limit) {
        return linesOf("SELECT ordinal, line, NULL, NULL, outcome::text FROM import_error", job, afterOrdinal,
                afterLine, limit);
    }

    @Override
    public List<ImportLineError> issuesOf(UUID job, int afterOrdinal, int afterLine, int limit) {
        return linesOf("SELECT ordinal, line, resource_type, resource_id, outcome::text FROM import_issue", job,
                afterOrdinal, afterLine, limit);
    }

    private List<ImportLineError> linesOf(String select, UUID job, int afterOrdinal, int afterLine, int limit) {
        List<?> rows = em.createNativeQuery(select + " WHERE job_id = CAST(?1 AS uuid) AND (ordinal, line) > (?2, ?3)"
                        + " ORDER BY ordinal, line LIMIT ?4")
                .setParameter(1, job.toString()).setParameter(2, afterOrdinal).setParameter(3, afterLine)
                .setParameter(4, limit).getResultList();
        List<ImportLineError> out = new ArrayList<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.add(new ImportLineError(num(r[0]), num(r[1]), (String) r[2], (String) r[3], (String) r[4]));
        }
        return out;
    }

    @Override
    public List<ImportJob> recent(int limit) {
        return em.createNativeQuery("SELECT " + JOB_COLUMNS + " FROM import_job ORDER BY created_at DESC LIMIT ?1")
                .setParameter(1, limit).getResultList().stream().map(r -> job((Object[]) r)).toList();
    }

    private static ImportJob job(Object[] r) {
        return new ImportJob(UUID.fromString((String) r[0]), TenantId.of((String) r[1]), (String) r[2],
                ImportJob.Phase.of((String) r[3]), (String) r[4], (String) r[5], instant(r[6]), instant(r[7]),
                instant(r[8]), num(r[9]), ((Number) r[10]).longValue(), ((Number) r[11]).longValue(),
                ((Number) r[12]).longValue(), ((Number) r[13]).longValue(), (String) r[14]);
    }

    private static int num(Object o) {
        return ((Number) o).intValue();
    }
}
