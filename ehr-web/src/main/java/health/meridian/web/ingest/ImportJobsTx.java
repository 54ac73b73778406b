package health.meridian.web.ingest;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.ingest.ImportInput;
import health.meridian.domain.ingest.ImportJob;
import health.meridian.domain.ingest.ImportJobRepository;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.web.security.AccessSeam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The worker's short transactions on a job's state, each bound to the job's institution. */
@ApplicationScoped
public class ImportJobsTx {

    @Inject
    ImportJobRepository jobs;
    @Inject
    TenantBinding binding;
    @Inject
    AccessSeam seam;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<ImportJob> claim(String owner, Duration lease, java.util.Set<ImportJob.Phase> phases) {
        return jobs.claimNext(owner, lease, phases);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<ImportInput> inputs(TenantId tenant, UUID job) {
        binding.bind(tenant);
        return jobs.inputs(job);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<String> content(TenantId tenant, UUID job, int ordinal) {
        binding.bind(tenant);
        return jobs.content(job, ordinal);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<String> persons(TenantId tenant, UUID job) {
        binding.bind(tenant);
        return jobs.personsOf(job);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void phase(TenantId tenant, UUID job, ImportJob.Phase phase, String message) {
        binding.bind(tenant);
        jobs.phase(job, phase, message);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(TenantId tenant, UUID job, String owner) {
        binding.bind(tenant);
        jobs.release(job, owner);
    }

    /** Keeps the job's lease alive while its run waits; a lease taken over meanwhile ends the run. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void renew(JobContext ctx) {
        binding.bind(ctx.tenant);
        if (!jobs.renew(ctx.job, ctx.owner, ctx.lease)) {
            throw new LeaseLostException(ctx.job.toString());
        }
    }

    /**
     * The load is over: one audit event per person the job wrote about (through the seam, for the job's caller) and
     * the phase moves on, in one transaction — so the persons are audited exactly once, whatever crashes when.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void loaded(JobContext ctx) {
        AccessSeam.Writing writing = seam.writingFor(ctx.caller, AuditAction.C, "bulk-import", "Bundle", null);
        if (!jobs.renew(ctx.job, ctx.owner, ctx.lease)) {
            throw new LeaseLostException(ctx.job.toString());
        }
        ImportJob job = jobs.find(ctx.job).orElseThrow();
        writing.wroteAbout("bulk-import", "Bundle", jobs.personsOf(ctx.job), "bulk import job " + ctx.job + ": "
                + job.committed() + " resources stored, " + job.failed() + " lines refused");
        jobs.phase(ctx.job, ImportJob.Phase.VALIDATING, null);
    }
}
