package health.meridian.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * This app instance's copy of care professionals' {@link AccessFactRows}, per (practitioner, institution), each
 * tagged with the access-fact counter (V29) it was loaded at. Exact, never by time: an entry is used only when the
 * request's own binding statement read that same number, and PostgreSQL bumps the number in the transaction of any
 * change of grants, sessions, share codes or institutions, on whichever instance or path it happens (ADR 0035).
 * Periods are judged per request ({@link AccessFactRows#at}). Bounded: at most {@link #MAX_ENTRIES} callers.
 */
@ApplicationScoped
public class AccessFactsCache {

    static final int MAX_ENTRIES = 10_000;

    /** Whose facts: one practitioner at one institution (the binding and the queries depend on nothing else). */
    public record Key(String practitioner, String tenant) {
    }

    private record Entry(long version, AccessFactRows rows) {
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final int max;

    public AccessFactsCache() {
        this(MAX_ENTRIES);
    }

    AccessFactsCache(int max) {
        this.max = max;
    }

    /** The rows of {@code key} loaded at {@code version}; otherwise {@code load}ed now and kept at that version. */
    public AccessFactRows at(Key key, long version, Supplier<AccessFactRows> load) {
        Entry kept = entries.get(key);
        if (kept != null && kept.version() == version) {
            return kept.rows();
        }
        AccessFactRows rows = load.get();
        keep(key, new Entry(version, rows));
        return rows;
    }

    /** Loaded at {@code version}, read no earlier than that number: exact for it (the newest load wins). */
    private void keep(Key key, Entry entry) {
        if (entries.size() >= max && !entries.containsKey(key)) {
            entries.values().removeIf(e -> e.version() != entry.version());
            Iterator<Key> any = entries.keySet().iterator();
            while (entries.size() >= max && any.hasNext()) {
                any.next();
                any.remove();
            }
        }
        entries.put(key, entry);
    }

    int size() {
        return entries.size();
    }
}
