package health.meridian.web.fhir.search;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.search.params.SearchParamCatalogue.Kind;
import health.meridian.search.params.SearchParamCatalogue.Param;

/**
 * An {@code _include}/{@code _revinclude} value: {@code Type:param[:Target]} over a supported reference parameter,
 * or {@code *} (every reference: {@code sourceType} null, {@code param} {@code *}).
 */
record Include(String sourceType, String param, String target) {

    static Include of(String spec, boolean forward) {
        if ("*".equals(spec)) {
            return new Include(null, "*", null);
        }
        String[] parts = spec.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new InvalidRequestException("EHR-0511 _include/_revinclude must be Type:param[:Target] or *, got '"
                    + spec + "'");
        }
        if ("*".equals(parts[1])) {
            return new Include(parts[0], "*", null);
        }
        Param p = SearchParameters.require(parts[0], parts[1]);
        if (p.kind() != Kind.REFERENCE) {
            throw new InvalidRequestException("EHR-0512 unsupported " + (forward ? "_include" : "_revinclude") + " '"
                    + spec + "': " + parts[1] + " is not a reference parameter of " + parts[0]);
        }
        return new Include(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }
}
