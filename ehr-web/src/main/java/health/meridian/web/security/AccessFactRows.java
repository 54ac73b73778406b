package health.meridian.web.security;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.BreakGlassSession;
import health.meridian.domain.share.ShareCodeRepository.Redeemed;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rows a care professional's access facts are made of, as loaded from the database: the grants to them or their
 * institution (unmanaged copies), their break-the-glass sessions and the share codes they redeemed, each with its
 * own period. An app instance keeps them across requests ({@link AccessFactsCache}, ADR 0035) and judges them at
 * each request's instant ({@link #at}): a session, code or grant that ended since they were loaded no longer
 * counts, although it is still kept. Immutable.
 */
public record AccessFactRows(List<AccessGrant> grants, List<Window> breakGlass, List<Window> sharedSummaries) {

    public AccessFactRows {
        grants = grants.stream().map(AccessGrant::copy).toList();
        breakGlass = List.copyOf(breakGlass);
        sharedSummaries = List.copyOf(sharedSummaries);
    }

    /** A person's access from {@code from} (inclusive) until {@code until} (exclusive). */
    public record Window(String personId, Instant from, Instant until) {

        public boolean openAt(Instant now) {
            return !from.isAfter(now) && until.isAfter(now);
        }

        static Window of(BreakGlassSession session) {
            return new Window(session.personId(), session.startedAt(), session.expiresAt());
        }

        static Window of(Redeemed code) {
            return new Window(code.personId(), Instant.MIN, code.accessUntil());
        }
    }

    static AccessFactRows of(List<AccessGrant> grants, List<BreakGlassSession> sessions, List<Redeemed> codes) {
        return new AccessFactRows(grants, sessions.stream().map(Window::of).toList(),
                codes.stream().map(Window::of).toList());
    }

    /** The facts at {@code now}: only what is in force then, with the care relations of this transaction. */
    public AccessFacts at(Instant now, CareRelations care) {
        return new AccessFacts(care, grants.stream().filter(g -> g.isActiveAt(now)).toList(),
                open(breakGlass, now), open(sharedSummaries, now), now);
    }

    private static Set<String> open(List<Window> windows, Instant now) {
        return windows.stream().filter(w -> w.openAt(now)).map(Window::personId).collect(Collectors.toSet());
    }
}
