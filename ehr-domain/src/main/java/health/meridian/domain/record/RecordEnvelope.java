package health.meridian.domain.record;

import java.time.Instant;
import java.util.List;

/**
 * What Meridian itself knows about a FHIR resource, beside its content: whose record it is, when it happened, how
 * it is classified and who wrote it. Extracted from the resource on every write.
 *
 * @param patientRef  the {@code Patient/<id>} the resource is about (or its own id for a Patient), may be null
 * @param category    category codes as {@code system|code}
 * @param codes       primary codes as {@code system|code}
 * @param identifiers business identifiers as {@code system|value}
 * @param sensitivity security labels as {@code system|code}
 */
public record RecordEnvelope(String patientRef, Instant effectiveAt, List<String> category, List<String> codes,
                             List<String> identifiers, List<String> sensitivity, String author) {

    public RecordEnvelope {
        category = List.copyOf(category);
        codes = List.copyOf(codes);
        identifiers = List.copyOf(identifiers);
        sensitivity = List.copyOf(sensitivity);
    }
}
