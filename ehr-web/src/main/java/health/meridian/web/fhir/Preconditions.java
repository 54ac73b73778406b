package health.meridian.web.fhir;

import health.meridian.domain.record.VersionCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conditional-request headers of a write (RFC 9110 section 13.1), as the {@link VersionCondition} the record
 * store checks under its lock. {@code If-Match: *} (the resource exists) or a list of entity tags ({@code W/"3"},
 * the form FHIR's ETags have; strong tags are accepted too and compared by their opaque value, which is the version
 * id); {@code If-None-Match: *} (the resource must not exist). A header outside that grammar is a malformed request
 * (400 EHR-0441, RFC 9110 15.5.1), not a condition that fails: it can be answered without looking at any record,
 * so it tells nothing about one, and a client learns its bug rather than that "someone else changed it".
 */
public final class Preconditions {

    private static final Pattern TAG = Pattern.compile("\\s*(?:W/)?\"([\\x21\\x23-\\x7E\\x80-\\xFF]*)\"\\s*(,|$)");

    private Preconditions() {
    }

    /** The condition of a PUT or DELETE from its {@code If-Match} and {@code If-None-Match} headers. */
    public static VersionCondition forWrite(String ifMatch, String ifNoneMatch) {
        boolean match = ifMatch != null && !ifMatch.isBlank();
        boolean noneMatch = ifNoneMatch != null && !ifNoneMatch.isBlank();
        if (match && noneMatch) {
            throw new IllegalArgumentException("EHR-0443 send either If-Match or If-None-Match, not both");
        }
        if (noneMatch) {
            if (!"*".equals(ifNoneMatch.trim())) {
                throw new IllegalArgumentException("EHR-0443 a write accepts only If-None-Match: * (the resource"
                        + " must not exist); to require a version use If-Match: W/\"<versionId>\"");
            }
            return VersionCondition.ABSENT;
        }
        return match ? ifMatch(ifMatch) : VersionCondition.NONE;
    }

    /** {@code If-Match}: {@code *} or one or more entity tags. */
    public static VersionCondition ifMatch(String header) {
        if ("*".equals(header.trim())) {
            return VersionCondition.ANY;
        }
        return VersionCondition.oneOf(tags(header));
    }

    private static List<String> tags(String header) {
        List<String> tags = new ArrayList<>();
        Matcher m = TAG.matcher(header);
        int at = 0;
        while (at < header.length() && m.find(at) && m.start() == at) {
            tags.add(m.group(1));
            at = m.end();
            if (m.group(2).isEmpty()) {
                break;
            }
        }
        if (tags.isEmpty() || at < header.length()) {
            throw new IllegalArgumentException("EHR-0441 malformed If-Match header '" + header + "': expected * or"
                    + " entity tags such as W/\"3\" (the ETag of the version read)");
        }
        return tags;
    }
}
