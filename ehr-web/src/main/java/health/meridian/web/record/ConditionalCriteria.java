package health.meridian.web.record;

/**
 * The conditional criteria Meridian supports in If-None-Exist, conditional update and conditional references:
 * {@code identifier=system|value} (optionally prefixed by {@code Type?}). Anything else is refused clearly.
 */
public record ConditionalCriteria(String type, String identifier) {

    public static ConditionalCriteria parse(String defaultType, String criteria) {
        String type = defaultType;
        String query = criteria;
        int q = criteria.indexOf('?');
        if (q >= 0) {
            type = criteria.substring(0, q);
            query = criteria.substring(q + 1);
        }
        if (!query.startsWith("identifier=") || query.contains("&")) {
            throw new IllegalArgumentException("EHR-0410 unsupported conditional criteria '" + criteria
                    + "': only identifier=system|value is supported");
        }
        String identifier = java.net.URLDecoder.decode(query.substring("identifier=".length()),
                java.nio.charset.StandardCharsets.UTF_8);
        if (!identifier.contains("|")) {
            identifier = "|" + identifier;
        }
        return new ConditionalCriteria(type, identifier);
    }
}
