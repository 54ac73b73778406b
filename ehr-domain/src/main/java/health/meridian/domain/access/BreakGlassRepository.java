package health.meridian.domain.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Break-the-glass sessions of the bound institution (row-level security). */
public interface BreakGlassRepository {

    void add(BreakGlassSession session);

    Optional<BreakGlassSession> find(String id);

    /** Sessions of this practitioner still running at {@code now}. */
    List<BreakGlassSession> activeFor(String practitionerId, Instant now);

    /** All sessions of the bound institution, newest first (the tenant admin's review list). */
    List<BreakGlassSession> all(int limit);
}
