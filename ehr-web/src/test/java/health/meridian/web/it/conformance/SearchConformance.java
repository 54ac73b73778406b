package health.meridian.web.it.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the search conformance corpus ({@code /conformance/search-cases.json}: a small dataset and, per query, the
 * result set the R4 search specification gives) against a FHIR server: loads the dataset in one transaction, every
 * resource tagged with this run's tag, then runs each query restricted to that tag and compares the matches (as a
 * set, or in order where the case says so), the includes and refusals (HTTP 400). Server-agnostic: Meridian in the
 * IT, any other server (a plain HAPI) through {@code SearchConformanceRemoteTest}.
 */
public final class SearchConformance {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL = Pattern.compile("\\{\\{([a-z0-9]+)}}");
    private static final String TAG_SYSTEM = "urn:meridian:conformance";

    private final String fhirBase;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonNode corpus;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> ids = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();

    /** The outcome of the corpus: cases run, and a line per case whose answer differs from the expected one. */
    public record Report(int cases, List<String> failures, List<String> knownDifferences) {
        public String summary() {
            return cases + " cases, " + (cases - failures.size()) + " as expected, " + failures.size() + " differ"
                    + (failures.isEmpty() ? "" : ":\n  " + String.join("\n  ", failures));
        }
    }

    public SearchConformance(String fhirBase, String token) throws IOException {
        this.fhirBase = fhirBase.endsWith("/") ? fhirBase.substring(0, fhirBase.length() - 1) : fhirBase;
        this.token = token;
        try (InputStream in = SearchConformance.class.getResourceAsStream("/conformance/search-cases.json")) {
            this.corpus = JSON.readTree(in);
        }
    }

    public Report run() throws IOException, InterruptedException {
        load();
        awaitSearchable();
        List<String> failures = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (JsonNode c : corpus.path("cases")) {
            String failure = check(c);
            if (failure != null) {
                (c.has("meridianOnly") ? known : failures).add(failure);
            }
        }
        return new Report(corpus.path("cases").size(), failures, known);
    }

    private void load() throws IOException, InterruptedException {
        Map<String, String> uuids = new LinkedHashMap<>();
        corpus.path("dataset").forEach(d -> uuids.put(d.path("label").asText(), "urn:uuid:" + UUID.randomUUID()));
        ArrayNode entries = JSON.createArrayNode();
        for (JsonNode d : corpus.path("dataset")) {
            String json = substitute(d.path("resource").toString(), uuids::get);
            ObjectNode resource = (ObjectNode) JSON.readTree(json);
            ObjectNode tag = resource.putObject("meta").putArray("tag").addObject();
            tag.put("system", TAG_SYSTEM).put("code", run);
            ObjectNode e = entries.addObject();
            e.put("fullUrl", uuids.get(d.path("label").asText()));
            e.set("resource", resource);
            e.putObject("request").put("method", "POST").put("url", resource.path("resourceType").asText());
        }
        ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        bundle.set("entry", entries);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(fhirBase)).header("Content-Type",
                "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(bundle.toString())));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("loading the dataset answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode answer = JSON.readTree(r.body()).path("entry");
        int i = 0;
        for (JsonNode d : corpus.path("dataset")) {
            String location = answer.get(i++).path("response").path("location").asText();
            if (location.contains("/_history/")) {
                location = location.substring(0, location.indexOf("/_history/"));
            }
            String[] parts = location.split("/");
            String key = parts[parts.length - 2] + "/" + parts[parts.length - 1];
            ids.put(d.path("label").asText(), parts[parts.length - 1]);
            labels.put(key, d.path("label").asText());
        }
    }

    /** The mirror is eventually consistent: wait until every loaded resource is found by its tag. */
    private void awaitSearchable() throws IOException, InterruptedException {
        Map<String, Integer> perType = new LinkedHashMap<>();
        labels.keySet().forEach(k -> perType.merge(k.substring(0, k.indexOf('/')), 1, Integer::sum));
        for (var e : perType.entrySet()) {
            for (int attempt = 0; ; attempt++) {
                JsonNode b = JSON.readTree(get(e.getKey() + "?_summary=count&_tag=" + enc(TAG_SYSTEM + "|" + run))
                        .body());
                if (b.path("total").asInt() == e.getValue()) {
                    break;
                }
                if (attempt > 300) {
                    throw new IllegalStateException(e.getKey() + " never reached " + e.getValue() + ": " + b);
                }
                Thread.sleep(100);
            }
        }
    }

    private String check(JsonNode c) throws IOException, InterruptedException {
        String query = c.path("query").asText();
        HttpResponse<String> r = get(url(query));
        int expectedStatus = c.path("status").asInt(200);
        if (r.statusCode() != expectedStatus) {
            return query + " -> HTTP " + r.statusCode() + " (expected " + expectedStatus + ")"
                    + (r.statusCode() >= 400 ? ": " + r.body().replaceAll("\\s+", " ") : "");
        }
        if (expectedStatus != 200) {
            return r.body().contains("OperationOutcome") ? null : query + " -> " + expectedStatus
                    + " without an OperationOutcome";
        }
        JsonNode bundle = JSON.readTree(r.body());
        List<String> match = entries(bundle, "match");
        List<String> expected = strings(c.path("expect"));
        boolean ordered = c.path("ordered").asBoolean(false);
        if (ordered ? !match.equals(expected) : !new TreeSet<>(match).equals(new TreeSet<>(expected))) {
            return query + " -> " + match + " (expected " + expected + (ordered ? " in this order" : "") + ")";
        }
        if (c.has("include")) {
            List<String> include = entries(bundle, "include");
            if (!new TreeSet<>(include).equals(new TreeSet<>(strings(c.path("include"))))) {
                return query + " -> includes " + include + " (expected " + strings(c.path("include")) + ")";
            }
        }
        return null;
    }

    /** The query with labels replaced by ids, every value URL-encoded, restricted to this run's tag. */
    private String url(String query) {
        String resolved = substitute(query, ids::get);
        int q = resolved.indexOf('?');
        StringBuilder url = new StringBuilder(resolved.substring(0, q + 1));
        for (String pair : resolved.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            url.append(pair, 0, eq + 1).append(enc(pair.substring(eq + 1))).append('&');
        }
        return url.append("_tag=").append(enc(TAG_SYSTEM + "|" + run)).append("&_count=200").toString();
    }

    private List<String> entries(JsonNode bundle, String mode) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : bundle.path("entry")) {
            if (mode.equals(e.path("search").path("mode").asText("match"))) {
                JsonNode res = e.path("resource");
                String key = res.path("resourceType").asText() + "/" + res.path("id").asText();
                out.add(labels.getOrDefault(key, key));
            }
        }
        return out;
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(fhirBase + "/" + pathAndQuery)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        b.header("Accept", "application/fhir+json").timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String substitute(String text, java.util.function.Function<String, String> value) {
        Matcher m = LABEL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = value.apply(m.group(1));
            if (v == null) {
                throw new IllegalStateException("unknown label " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
