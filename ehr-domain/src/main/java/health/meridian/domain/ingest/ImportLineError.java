package health.meridian.domain.ingest;

/** A line of an input that was refused (load) or failed validation (quarantined): an OperationOutcome as JSON. */
public record ImportLineError(int ordinal, int line, String resourceType, String resourceId, String outcomeJson) {
}
