package health.meridian.web.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names clinicians type for common tests and vitals (issue #20): "HbA1c" finds "Hemoglobin A1c/Hemoglobin.total
 * in Blood", "BP" finds "Blood pressure panel". The timeline's text search looks for the typed words or, for a known
 * short name, for the words of its long name (query-time: nothing in the index changes).
 */
public final class TimelineSynonyms {

    private static final Map<String, List<String>> LONG_NAMES = Map.ofEntries(
            Map.entry("hba1c", List.of("hemoglobin a1c")),
            Map.entry("a1c", List.of("hemoglobin a1c")),
            Map.entry("glycated hemoglobin", List.of("hemoglobin a1c")),
            Map.entry("glucose", List.of("glucose")),
            Map.entry("blood sugar", List.of("glucose")),
            Map.entry("bp", List.of("blood pressure")),
            Map.entry("bmi", List.of("body mass index")),
            Map.entry("ldl", List.of("low density lipoprotein", "ldl cholesterol")),
            Map.entry("hdl", List.of("high density lipoprotein", "hdl cholesterol")),
            Map.entry("egfr", List.of("glomerular filtration rate")),
            Map.entry("hb", List.of("hemoglobin")),
            Map.entry("hgb", List.of("hemoglobin")),
            Map.entry("wbc", List.of("leukocytes")),
            Map.entry("crp", List.of("c reactive protein")),
            Map.entry("tsh", List.of("thyrotropin")),
            Map.entry("hr", List.of("heart rate")),
            Map.entry("pulse", List.of("heart rate")),
            Map.entry("rr", List.of("respiratory rate")),
            Map.entry("spo2", List.of("oxygen saturation")),
            Map.entry("sats", List.of("oxygen saturation")),
            Map.entry("temp", List.of("body temperature")),
            Map.entry("weight", List.of("body weight")),
            Map.entry("height", List.of("body height")));

    private TimelineSynonyms() {
    }

    /** The typed text first, then the long names of a known short name (case and spacing ignored). */
    public static List<String> alternatives(String typed) {
        String text = typed == null ? "" : typed.trim();
        List<String> out = new ArrayList<>(List.of(text));
        String key = text.toLowerCase(Locale.ROOT).replaceAll("[\\s\\-_.]+", " ").replace("hb a1c", "hba1c");
        for (String alternative : LONG_NAMES.getOrDefault(key, List.of())) {
            if (!alternative.equalsIgnoreCase(text)) {
                out.add(alternative);
            }
        }
        return out;
    }
}
