package health.meridian.search;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Case and accent folding done in Java, because the local Elasticsearch has no analysis-common module (no
 * lowercase/asciifolding normalizers). The same function folds indexed values and query values.
 */
public final class Folding {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private Folding() {
    }

    public static String fold(String value) {
        if (value == null) {
            return null;
        }
        String decomposed = Normalizer.normalize(value.strip(), Normalizer.Form.NFKD);
        return MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT)
                .replace('ß', 's').replace("ø", "o").replace("æ", "ae").replace("ł", "l");
    }
}
