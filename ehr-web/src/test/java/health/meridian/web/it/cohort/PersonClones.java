package health.meridian.web.it.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A scaled population for the cohort benchmark, written straight into the person cohort index with {@code _bulk}
 * (the record store is bypassed: the person index is derived data and the benchmark measures query latency).
 * Each clone copies a template person document (the persons loaded through the API) under a new person and
 * patient id, with every date (events and birth date) shifted by the same random number of days (±2 years); a
 * clone belongs to de-spree with probability 1/4, else to nl-amstel (seeded).
 */
final class PersonClones {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int BULK = 2_000;

    private PersonClones() {
    }

    /** Adds n clones; returns the number of template persons used. */
    static int load(String es, int n, long seed) throws Exception {
        List<JsonNode> templates = templates(es);
        if (templates.isEmpty()) {
            throw new AssertionError("no person documents to clone");
        }
        setting(es, "{\"index\":{\"refresh_interval\":\"-1\"}}");
        Random random = new Random(seed);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String person = "clone-" + seed + "-" + i;
            String tenant = random.nextInt(4) == 3 ? "de-spree" : "nl-amstel";
            ObjectNode doc = clone(templates.get(i % templates.size()), person, tenant, random.nextInt(1461) - 730);
            bulk.append("{\"index\":{\"_index\":\"meridian-persons\",\"_id\":\"").append(person).append("\"}}\n")
                    .append(JSON.writeValueAsString(doc)).append('\n');
            if ((i + 1) % BULK == 0 || i == n - 1) {
                send(es, bulk.toString());
                bulk.setLength(0);
            }
        }
        setting(es, "{\"index\":{\"refresh_interval\":\"1s\"}}");
        request(es + "/meridian-persons/_refresh", "POST", "");
        noRequestCache(es);
        return templates.size();
    }

    /**
     * Waits until the person index has no merge running for three polls in a row (at most {@code maxMs}) and returns
     * "N segments, no merge running after M ms" (or "merges still running after …"). A bulk load leaves merges behind
     * that compete with the timed queries for the two cores, and the segment count changes what a query costs (each
     * of a temporal relation's clauses is set up per segment): the timing starts on a settled index and the report
     * says its shape.
     */
    static String settle(String es, long maxMs) throws Exception {
        long t0 = System.nanoTime();
        int quiet = 0;
        long waited = 0;
        while (quiet < 3 && waited < maxMs) {
            JsonNode current = JSON.readTree(request(es + "/meridian-persons/_stats/merge", "GET", null))
                    .at("/_all/primaries/merges/current");
            if (!current.isNumber()) {
                throw new AssertionError("no merge statistics for the person index");
            }
            quiet = current.asLong() == 0 ? quiet + 1 : 0;
            Thread.sleep(1_000);
            waited = (System.nanoTime() - t0) / 1_000_000;
        }
        JsonNode segments = JSON.readTree(request(es + "/meridian-persons/_stats/segments", "GET", null));
        return segments.at("/_all/primaries/segments/count").asLong() + " segments, "
                + (quiet >= 3 ? "no merge running" : "merges still running") + " after " + waited + " ms";
    }

    /**
     * The shard request cache would answer the benchmark's identical repetitions from memory; on a live system every
     * refresh after a write invalidates it, so it is off (and emptied) while timing.
     */
    static void noRequestCache(String es) throws Exception {
        setting(es, "{\"index\":{\"requests.cache.enable\":false}}");
        request(es + "/meridian-persons/_cache/clear?request=true", "POST", "");
    }

    private static ObjectNode clone(JsonNode template, String person, String tenant, int shiftDays) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("person", person);
        ArrayNode patients = doc.putArray("patients");
        JsonNode first = template.path("patients").path(0);
        ObjectNode patient = patients.addObject();
        patient.put("key", tenant + "/Patient/" + person);
        patient.put("version", 1);
        patient.put("tenant", tenant);
        patient.put("patient", "Patient/" + person);
        patient.set("gender", first.get("gender"));
        if (first.hasNonNull("birthdate")) {
            patient.put("birthdate", LocalDate.parse(first.get("birthdate").asText().substring(0, 10))
                    .plusDays(shiftDays).toString());
        }
        ObjectNode solo = doc.putObject("solo");
        solo.put("tenant", tenant);
        solo.set("gender", patient.get("gender"));
        solo.set("birthdate", patient.get("birthdate"));
        ArrayNode events = doc.putArray("events");
        int j = 0;
        for (JsonNode e : template.path("events")) {
            ObjectNode event = ((ObjectNode) e).deepCopy();
            event.put("key", tenant + "/" + e.path("type").asText() + "/" + person + "-" + j++);
            event.put("tenant", tenant);
            List<String> codes = new java.util.ArrayList<>();
            e.path("codes").forEach(c -> codes.add(c.asText()));
            ArrayNode scoped = event.putArray("scoped_codes");
            health.meridian.search.PersonDocuments.scopedCodes(tenant, e.path("type").asText(), codes)
                    .forEach(scoped::add);
            if (e.hasNonNull("effective")) {
                event.put("effective", Instant.parse(e.get("effective").asText()).plus(shiftDays, ChronoUnit.DAYS)
                        .toString());
                event.put("day", e.get("day").asInt() + shiftDays);
                event.put("day_up", e.get("day_up").asInt() + shiftDays);
                event.put("day_down", e.get("day_down").asInt() - shiftDays);
                ArrayNode codeDays = event.putArray("code_day");
                health.meridian.search.PersonDocuments.codeDays(codes, e.get("day").asInt() + shiftDays)
                        .forEach(codeDays::add);
            }
            events.add(event);
        }
        return doc;
    }

    private static List<JsonNode> templates(String es) throws Exception {
        JsonNode r = JSON.readTree(request(es + "/meridian-persons/_search?size=10000", "POST",
                "{\"query\":{\"bool\":{\"must_not\":{\"prefix\":{\"person\":\"clone-\"}}}}}"));
        List<JsonNode> out = new ArrayList<>();
        r.path("hits").path("hits").forEach(h -> {
            if (h.path("_source").path("patients").size() == 1) {
                out.add(h.path("_source"));
            }
        });
        return out;
    }

    private static void send(String es, String ndjson) throws Exception {
        JsonNode r = JSON.readTree(request(es + "/_bulk", "POST", ndjson));
        if (r.path("errors").asBoolean()) {
            throw new AssertionError("bulk errors: " + r.toString().substring(0, 2000));
        }
    }

    private static void setting(String es, String body) throws Exception {
        request(es + "/meridian-persons/_settings", "PUT", body);
    }

    private static String request(String url, String method, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", body != null && url.endsWith("_bulk") ? "application/x-ndjson"
                        : "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new AssertionError(method + " " + url + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
