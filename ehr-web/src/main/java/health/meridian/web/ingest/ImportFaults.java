package health.meridian.web.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The integration tests' crash simulation, armed only where {@code MERIDIAN_IMPORT_TEST_FAULTS=true}: the run of
 * an armed job dies after committing N chunks, as a killed instance would — no rollback of what committed, no
 * release of its lease, nothing more written — and another run takes the job over once the lease has expired.
 */
@ApplicationScoped
public class ImportFaults {

    /** What the dying run throws; the worker lets the job lie exactly as it is. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(UUID job, int chunks) {
            super("simulated crash of the run of import job " + job + " after " + chunks + " chunks");
        }
    }

    @Inject
    ImportSettings settings;

    private final Map<UUID, Integer> crashAfter = new ConcurrentHashMap<>();

    /** Arms the fault for a job; false where faults are not enabled (the request parameter is then refused). */
    boolean arm(UUID job, int chunks) {
        if (!settings.testFaults()) {
            return false;
        }
        crashAfter.put(job, chunks);
        return true;
    }

    void afterChunk(JobContext ctx) {
        Integer limit = crashAfter.get(ctx.job);
        if (limit != null && ctx.chunks >= limit) {
            crashAfter.remove(ctx.job);
            throw new SimulatedCrash(ctx.job, ctx.chunks);
        }
    }
}
