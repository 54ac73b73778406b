package health.meridian.domain.access;

import java.util.List;
import java.util.Optional;

/** Break-the-glass sessions of the bound institution (row-level security). */
public interface BreakGlassRepository {

    void add(BreakGlassSession session);

    Optional<BreakGlassSession> find(String id);

    /**
     * Sessions of this practitioner that have not expired by the database's clock — judged by the caller at its own
     * instant ({@link BreakGlassSession#isActiveAt}); a session another instance opened a moment "later" by this
     * instance's clock is included, so facts kept across requests (ADR 0035) count it as soon as it starts.
     */
    List<BreakGlassSession> unexpiredFor(String practitionerId);

    /** All sessions of the bound institution, newest first (the tenant admin's review list). */
    List<BreakGlassSession> all(int limit);
}
