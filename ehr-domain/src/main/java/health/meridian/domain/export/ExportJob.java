package health.meridian.domain.export;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A bulk export job (FHIR Bulk Data {@code $export}, ADR 0026): who asked (a snapshot of the caller the worker reads
 * for), the institution of a staff caller or the person of a patient (whose job it is), the request, the persons
 * fixed at kick-off with the checkpoint of how many are exported, and its status. State in PostgreSQL (V20).
 * {@code typeFilters} are the request's {@code _typeFilter} searches ({@code Type?name=value&...}), checked at
 * kick-off.
 */
public record ExportJob(UUID id, String tenant, String person, String requester, String requestedBy, Level level,
                        String groupId, String requestUrl, List<String> types, List<String> typeFilters,
                        Instant since, List<String> persons,
                        int personsDone, Status status, Instant transactionTime, Instant finishedAt,
                        Instant expiresAt, String message) {

    public ExportJob {
        types = List.copyOf(types);
        typeFilters = List.copyOf(typeFilters);
        persons = List.copyOf(persons);
    }

    /** The kick-off's level: {@code [base]/$export}, {@code Patient/$export}, {@code Group/[id]/$export}. */
    public enum Level {
        SYSTEM, PATIENT, GROUP;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Level of(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** queued → running → complete; failed when it cannot go on; cancelled by its requester (DELETE). */
    public enum Status {
        QUEUED, RUNNING, COMPLETE, FAILED, CANCELLED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status of(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }

        public boolean active() {
            return this == QUEUED || this == RUNNING;
        }
    }

    /** Has its retention time passed (its files are gone, or about to be)? */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
