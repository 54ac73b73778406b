package health.meridian.domain.access;

import java.util.List;
import java.util.Optional;

/** Patients' access grants. What a caller sees is limited by row-level security to grants they are party to. */
public interface AccessGrantRepository {

    void add(AccessGrant grant);

    Optional<AccessGrant> find(String id);

    List<AccessGrant> ofPerson(String personId);

    /** Grants to this practitioner or to this institution (active or not: the policy checks the period). */
    List<AccessGrant> toGrantee(String practitionerId, String institution);
}
