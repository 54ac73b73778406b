package health.meridian.web.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.meridian.domain.search.RecordQuery;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code _count} above the largest page ({@link RecordQuery#MAX_COUNT}) is lowered to it before any search or
 * history runs, as HAPI's own servers do (R4: the server may return fewer than requested; the links page on),
 * instead of refusing the request. A negative one is refused here (400 EHR-0202); other values that are not whole
 * numbers are left for the handler to refuse.
 */
@Interceptor
@ApplicationScoped
public class CountCap {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void capCount(RequestDetails request) {
        String[] counts = request.getParameters().get("_count");
        if (counts != null && counts.length > 0 && counts[0] != null && counts[0].trim().matches("-\\d+")) {
            throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException("EHR-0202 _count must be between"
                    + " 0 and " + RecordQuery.MAX_COUNT);
        }
        if (counts == null || counts.length == 0 || !isAboveMaximum(counts[0])) {
            return;
        }
        Map<String, String[]> params = new LinkedHashMap<>(request.getParameters());
        params.put("_count", new String[] {Integer.toString(RecordQuery.MAX_COUNT)});
        request.setParameters(params);
    }

    static boolean isAboveMaximum(String count) {
        String digits = count == null ? "" : count.trim();
        if (!digits.matches("\\d+")) {
            return false;
        }
        return digits.length() > 9 || Integer.parseInt(digits) > RecordQuery.MAX_COUNT;
    }
}
