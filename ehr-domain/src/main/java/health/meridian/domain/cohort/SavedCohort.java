package health.meridian.domain.cohort;

import java.time.Instant;

/** A saved cohort of an institution: its name and definition (JSON, validated before saving), and the last run. */
public record SavedCohort(String id, String name, String definitionJson, String createdBy, Instant createdAt,
                          Long lastCount, Instant lastRunAt) {

    public SavedCohort {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidCohortException("EHR-0826 a saved cohort has a name of 1 to 200 characters");
        }
    }
}
