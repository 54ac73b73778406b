package health.meridian.domain.access;

import java.util.List;

/**
 * The care professionals a patient may choose as a grantee, across institutions and countries. Each practitioner
 * enters themselves (from their validated token) when they use Meridian.
 */
public interface PractitionerDirectory {

    record Entry(String practitionerId, String tenant, String displayName, String role) {
    }

    void enter(Entry self);

    /** Case-insensitive match on id, name or institution; at most {@code limit}. */
    List<Entry> search(String text, int limit);

    java.util.Optional<Entry> find(String practitionerId);
}
