package health.meridian.domain.record;

import java.util.List;
import java.util.Objects;

/**
 * What a conditional write expects of the resource's current version, checked under the lock the write takes on the
 * resource's head (so no other write can come between the check and the write): nothing ({@link #NONE}), that the
 * resource exists ({@link #ANY}, {@code If-Match: *}), or that its current version is one of {@code versions}
 * ({@code If-Match: W/"3"}; a version that is not a number never matches), or that it has no current
 * representation ({@link #ABSENT}, {@code If-None-Match: *}: never deleted, or deleted).
 */
public final class VersionCondition {

    public static final VersionCondition NONE = new VersionCondition(Kind.NONE, List.of());
    public static final VersionCondition ANY = new VersionCondition(Kind.ANY, List.of());
    public static final VersionCondition ABSENT = new VersionCondition(Kind.ABSENT, List.of());

    private enum Kind { NONE, ANY, ONE_OF, ABSENT }

    private final Kind kind;
    private final List<String> versions;

    private VersionCondition(Kind kind, List<String> versions) {
        this.kind = kind;
        this.versions = versions;
    }

    /** The current version must be one of these (opaque version ids, as the client got them in an ETag). */
    public static VersionCondition oneOf(List<String> versions) {
        if (versions == null || versions.isEmpty()) {
            throw new IllegalArgumentException("EHR-0441 a version condition names at least one version");
        }
        return new VersionCondition(Kind.ONE_OF, List.copyOf(versions));
    }

    /**
     * Whether a write may proceed on a resource whose head is at {@code currentVersion} ({@code deleted}: the head
     * is a deletion marker, so the resource has no current representation and {@code *} does not hold).
     */
    public boolean admits(int currentVersion, boolean deleted) {
        return switch (kind) {
            case NONE -> true;
            case ANY -> !deleted;
            case ONE_OF -> versions.contains(Integer.toString(currentVersion));
            case ABSENT -> deleted;
        };
    }

    /** Refuses the write unless {@link #admits}: {@link VersionConflictException}. */
    public void require(ResourceKey key, int currentVersion, boolean deleted) {
        if (!admits(currentVersion, deleted) && kind == Kind.ABSENT) {
            throw new VersionConflictException("EHR-0442 " + key.type() + "/" + key.id() + " exists (If-None-Match:"
                    + " *): not overwritten");
        }
        if (!admits(currentVersion, deleted)) {
            throw new VersionConflictException("EHR-0440 " + key.type() + "/" + key.id() + " is at version "
                    + currentVersion + (deleted ? " (deleted)" : "") + ", not " + this
                    + ": read it again and retry");
        }
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "any version";
            case ANY -> "an existing version (*)";
            case ONE_OF -> "version " + String.join(" or ", versions);
            case ABSENT -> "no current version (If-None-Match: *)";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionCondition c && c.kind == kind && c.versions.equals(versions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, versions);
    }
}
