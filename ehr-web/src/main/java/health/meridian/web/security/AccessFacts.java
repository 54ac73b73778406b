package health.meridian.web.security;

import health.meridian.domain.access.AccessGrant;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the policy needs to know about the caller's relationships at decision time: the persons of their care
 * teams, the grants made to them (or to their institution) and the persons of their running break-the-glass
 * sessions. Loaded per transaction by {@link AccessContext}.
 */
public record AccessFacts(Set<String> careTeamPersons, List<AccessGrant> grants, Set<String> breakGlassPersons,
                          Instant now) {

    public AccessFacts {
        careTeamPersons = Set.copyOf(careTeamPersons);
        grants = List.copyOf(grants);
        breakGlassPersons = Set.copyOf(breakGlassPersons);
    }

    public static AccessFacts none(Instant now) {
        return new AccessFacts(Set.of(), List.of(), Set.of(), now);
    }
}
