package health.meridian.domain.ingest;

import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * A bulk import job (FHIR Bulk Data {@code $import}, {@code ./meridian import}): the institution it writes into,
 * the caller who started it (a snapshot the worker acts for), its phase and its counters. State in PostgreSQL
 * (V17), so a job outlives the instance that runs it.
 */
public record ImportJob(UUID id, TenantId tenant, String kind, Phase phase, String requestedBy, String requestUrl,
                        Instant createdAt, Instant loadedAt, Instant finishedAt, int runs, long committed,
                        long failed, long validated, long quarantined, String message) {

    /**
     * queued → loading → validating → complete; failed when the job cannot go on (its message says why); cancelled
     * when its importer cancelled it (what it committed before stays).
     */
    public enum Phase {
        QUEUED, LOADING, VALIDATING, COMPLETE, FAILED, CANCELLED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Phase of(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }

        public boolean active() {
            return this == QUEUED || this == LOADING || this == VALIDATING;
        }
    }
}
