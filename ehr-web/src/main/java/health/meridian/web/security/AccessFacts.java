package health.meridian.web.security;

import health.meridian.domain.access.AccessGrant;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the policy needs to know about the caller's relationships at decision time: their care relationships (asked
 * person by person, {@link CareRelations}), the grants made to them (or to their institution) and the persons of
 * their running break-the-glass sessions, and the persons whose share code they redeemed (summary only). Gathered
 * per transaction by {@link AccessContext}; none of it grows with the number of patients in the caller's care.
 */
public record AccessFacts(CareRelations care, List<AccessGrant> grants, Set<String> breakGlassPersons,
                          Set<String> sharedSummaryPersons, Instant now) {

    public AccessFacts {
        care = care == null ? CareRelations.none() : care;
        grants = List.copyOf(grants);
        breakGlassPersons = Set.copyOf(breakGlassPersons);
        sharedSummaryPersons = Set.copyOf(sharedSummaryPersons);
    }

    /** A fixed set of persons in care (tests). */
    public AccessFacts(Set<String> careTeamPersons, List<AccessGrant> grants, Set<String> breakGlassPersons,
                       Set<String> sharedSummaryPersons, Instant now) {
        this(CareRelations.of(careTeamPersons), grants, breakGlassPersons, sharedSummaryPersons, now);
    }

    /** Without share codes (the persons whose summary the caller may read after redeeming a share code). */
    public AccessFacts(Set<String> careTeamPersons, List<AccessGrant> grants, Set<String> breakGlassPersons,
                       Instant now) {
        this(careTeamPersons, grants, breakGlassPersons, Set.of(), now);
    }

    public static AccessFacts none(Instant now) {
        return new AccessFacts(Set.of(), List.of(), Set.of(), now);
    }
}
