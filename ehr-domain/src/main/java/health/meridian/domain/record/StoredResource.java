package health.meridian.domain.record;

import java.time.Instant;

/** One stored version of a resource as read back from the record store. */
public record StoredResource(ResourceKey key, int version, String personId, boolean deleted, String json,
                             Instant recordedAt, RecordEnvelope envelope) {
}
