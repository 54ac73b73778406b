package health.meridian.search.params;

/**
 * The names of the index fields search parameters are written to (mapping {@code records-v2.json}). Keyword fields
 * hold {@code <param>:<value>} so one field serves every parameter; nested fields hold {@code n} = the parameter.
 */
public final class IndexFields {

    /** Token forms {@code p:system|code}, {@code p:code}, {@code p:system|}, {@code p:|code} (no system). */
    public static final String TOKEN = "sp_token";
    /** Folded text of a token (display, CodeableConcept.text) from each word on: {@code p:words…} ({@code :text}). */
    public static final String TOKEN_TEXT = "sp_token_text";
    /** Folded (case and accents) string values: {@code p:value}. */
    public static final String STRING = "sp_string";
    /** String values as written ({@code :exact}). */
    public static final String STRING_EXACT = "sp_string_exact";
    /** References {@code p:Type/id}, {@code p:id} and absolute ones as written. */
    public static final String REFERENCE = "sp_ref";
    /** URI values as written. */
    public static final String URI = "sp_uri";
    /** The names of the parameters that have at least one value ({@code :missing}). */
    public static final String PRESENT = "sp_present";
    /** Nested: {@code n}, {@code r} (date_range), {@code lo}, {@code hi} (dates, for sorting). */
    public static final String DATE = "sp_date";
    /** Nested: {@code n}, {@code v}, {@code s}, {@code c} (unit system and code), {@code cv}/{@code cu} (UCUM canonical). */
    public static final String NUMBER = "sp_num";
    /** Nested: {@code n}, {@code k}: the first folded string or code of a parameter, for {@code _sort}. */
    public static final String SORT = "sp_sort";

    private IndexFields() {
    }

    /** The keyword a value of parameter {@code param} is indexed as in the keyword fields. */
    public static String key(String param, String value) {
        return param + ":" + value;
    }
}
