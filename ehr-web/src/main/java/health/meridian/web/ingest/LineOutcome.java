package health.meridian.web.ingest;

import jakarta.json.Json;

/**
 * The OperationOutcome of one line of an input (the error file, the validation report): issue severity and code,
 * the diagnostics with its EHR code, and where: the input (its url) and the line number (1-based), as an
 * extension-free {@code expression} {@code line N} plus the location {@code <input>:<line>}.
 */
final class LineOutcome {

    private LineOutcome() {
    }

    static String json(String severity, String code, String diagnostics, String input, int line) {
        return Json.createObjectBuilder().add("resourceType", "OperationOutcome")
                .add("issue", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("severity", severity).add("code", code).add("diagnostics", diagnostics)
                        .add("location", Json.createArrayBuilder().add(input + ":" + line))
                        .add("expression", Json.createArrayBuilder().add("line " + line))))
                .build().toString();
    }

    static String error(String diagnostics, String input, int line) {
        return json("error", diagnostics.startsWith("EHR-1012") ? "not-found" : "invalid", diagnostics, input, line);
    }
}
