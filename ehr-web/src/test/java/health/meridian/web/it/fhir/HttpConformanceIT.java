package health.meridian.web.it.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.web.fhir.R4Validation;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FHIR's HTTP rules as a standard client relies on them (issue #19): versions and preconditions (ETag, If-Match,
 * If-None-Match, If-Modified-Since, Prefer), no lost update under concurrency, system history, batch with reads,
 * searchset bundles, form searches in UTF-8, {@code _count} capped, the 401 challenge, the CapabilityStatement.
 */
@ExtendWith(ArquillianExtension.class)
class HttpConformanceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MRN = "urn:test:mrn";

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private String fhir(String path) {
        return TestStack.app(base) + "/fhir/" + path;
    }

    private String token(String user) throws Exception {
        TestStack.ensureTenants(TestStack.app(base));
        return TestStack.token(user);
    }

    private String patient(String token, String family) throws Exception {
        HttpResponse<String> r = TestStack.send("POST", fhir("Patient"), token, patientBody(null, family));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asText();
    }

    private static String patientBody(String id, String family) {
        return "{\"resourceType\":\"Patient\"," + (id == null ? "" : "\"id\":\"" + id + "\",")
                + "\"identifier\":[{\"system\":\"" + MRN + "\",\"value\":\"" + UUID.randomUUID() + "\"}],"
                + "\"name\":[{\"family\":\"" + family + "\"}]}";
    }

    private HttpResponse<String> put(String token, String id, String family, String... headers) throws Exception {
        return TestStack.send("PUT", fhir("Patient/" + id), token, patientBody(id, family), headers);
    }

    private String versionOf(String token, String id) throws Exception {
        return JSON.readTree(TestStack.get(fhir("Patient/" + id), token).body()).path("meta").path("versionId")
                .asText();
    }

    @Test
    void ifMatchWritesOnlyOnTheVersionNamed() throws Exception {
        String token = token("dr.jansen");
        String id = patient(token, "Match");

        HttpResponse<String> current = put(token, id, "Two", "If-Match", "W/\"1\"");
        assertThat(current.statusCode()).as(current.body()).isEqualTo(200);
        assertThat(current.headers().firstValue("ETag")).hasValue("W/\"2\"");

        HttpResponse<String> stale = put(token, id, "Lost", "If-Match", "W/\"1\"");
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
        assertThat(stale.body()).contains("OperationOutcome").contains("EHR-0440");

        HttpResponse<String> garbage = put(token, id, "Lost", "If-Match", "garbage");
        assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
        assertThat(garbage.body()).contains("EHR-0441");
        HttpResponse<String> notANumber = put(token, id, "Lost", "If-Match", "W/\"two\"");
        assertThat(notANumber.statusCode()).as(notANumber.body()).isEqualTo(412);
        assertThat(versionOf(token, id)).isEqualTo("2");

        HttpResponse<String> any = put(token, id, "Three", "If-Match", "*");
        assertThat(any.statusCode()).as(any.body()).isEqualTo(200);
        assertThat(versionOf(token, id)).isEqualTo("3");
        HttpResponse<String> mustNotExist = put(token, id, "Lost", "If-None-Match", "*");
        assertThat(mustNotExist.statusCode()).as(mustNotExist.body()).isEqualTo(412);
        assertThat(mustNotExist.body()).contains("EHR-0442");
        HttpResponse<String> strong = put(token, id, "Four", "If-Match", "\"3\"");
        assertThat(strong.statusCode()).as(strong.body()).isEqualTo(200);
        assertThat(JSON.readTree(TestStack.get(fhir("Patient/" + id), token).body()).path("name").get(0)
                .path("family").asText()).isEqualTo("Four");
    }

    @Test
    void ifMatchGuardsDeletesToo() throws Exception {
        String token = token("dr.jansen");
        String id = patient(token, "Delete");
        put(token, id, "Two");
        HttpResponse<String> stale = TestStack.send("DELETE", fhir("Patient/" + id), token, null,
                "If-Match", "W/\"1\"");
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
        assertThat(TestStack.get(fhir("Patient/" + id), token).statusCode()).isEqualTo(200);
        HttpResponse<String> current = TestStack.send("DELETE", fhir("Patient/" + id), token, null,
                "If-Match", "W/\"2\"");
        assertThat(current.statusCode()).as(current.body()).isIn(200, 204);
        assertThat(TestStack.get(fhir("Patient/" + id), token).statusCode()).isEqualTo(410);
    }

    /** Without the version check all eight write; without the head's lock around check and write, several can. */
    @Test
    void concurrentUpdatesExpectingTheSameVersionWriteOnce() throws Exception {
        String token = token("dr.jansen");
        String id = patient(token, "Race");
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String family = "Writer" + i;
                Callable<Integer> write = () -> put(token, id, family, "If-Match", "W/\"1\"").statusCode();
                answers.add(pool.submit(write));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertThat(statuses).as(statuses.toString()).containsOnly(200, 412);
            assertThat(statuses.stream().filter(s -> s == 200).count()).as(statuses.toString()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(versionOf(token, id)).isEqualTo("2");
        assertThat(JSON.readTree(TestStack.get(fhir("Patient/" + id + "/_history"), token).body()).path("total")
                .asInt()).isEqualTo(2);
    }

    /** For an id the caller may not write, the answer is the unknown id's, whatever the ETag says. */
    @Test
    void anIfMatchOnAHiddenIdIsAnsweredAsForAnUnknownId() throws Exception {
        String jansen = token("dr.jansen");
        String id = patient(jansen, "Hidden");
        String nurse = TestStack.token("nurse.visser");
        String unknown = UUID.randomUUID().toString();
        for (String etag : new String[] {"W/\"1\"", "W/\"7\"", "*"}) {
            HttpResponse<String> hidden = put(nurse, id, "Nosy", "If-Match", etag);
            HttpResponse<String> none = put(nurse, unknown, "Nosy", "If-Match", etag);
            assertThat(hidden.statusCode()).as(etag + " " + hidden.body()).isEqualTo(405);
            assertThat(none.statusCode()).as(etag + " " + none.body()).isEqualTo(405);
            assertThat(hidden.body().replace(id, "ID")).isEqualTo(none.body().replace(unknown, "ID"));
            HttpResponse<String> hiddenDelete = TestStack.send("DELETE", fhir("Patient/" + id), nurse, null,
                    "If-Match", etag);
            HttpResponse<String> noneDelete = TestStack.send("DELETE", fhir("Patient/" + unknown), nurse, null,
                    "If-Match", etag);
            assertThat(hiddenDelete.statusCode()).as(etag + " " + hiddenDelete.body()).isEqualTo(404);
            assertThat(noneDelete.statusCode()).isEqualTo(404);
            assertThat(hiddenDelete.body().replace(id, "ID")).isEqualTo(noneDelete.body().replace(unknown, "ID"));
        }
        assertThat(versionOf(jansen, id)).isEqualTo("1");
    }

    @Test
    void readsCarryTheirVersionAndAnswerConditionalReadsWith304() throws Exception {
        String token = token("dr.jansen");
        HttpResponse<String> created = TestStack.send("POST", fhir("Patient"), token, patientBody(null, "Etag"));
        assertThat(created.headers().firstValue("ETag")).hasValue("W/\"1\"");
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .contains("/Patient/").endsWith("/_history/1"));
        assertThat(created.headers().firstValue("Last-Modified")).isPresent();
        String id = JSON.readTree(created.body()).path("id").asText();

        HttpResponse<String> read = TestStack.get(fhir("Patient/" + id), token);
        assertThat(read.headers().firstValue("ETag")).hasValue("W/\"1\"");
        assertThat(read.headers().firstValue("Last-Modified")).isPresent();
        HttpResponse<String> vread = TestStack.get(fhir("Patient/" + id + "/_history/1"), token);
        assertThat(vread.headers().firstValue("ETag")).hasValue("W/\"1\"");

        assertThat(TestStack.send("GET", fhir("Patient/" + id), token, null, "If-None-Match", "W/\"1\"")
                .statusCode()).isEqualTo(304);
        put(token, id, "Changed");
        HttpResponse<String> changed = TestStack.send("GET", fhir("Patient/" + id), token, null,
                "If-None-Match", "W/\"1\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).hasValue("W/\"2\"");
        String later = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(5));
        assertThat(TestStack.send("GET", fhir("Patient/" + id), token, null, "If-Modified-Since", later)
                .statusCode()).isEqualTo(304);
        String earlier = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusDays(1));
        assertThat(TestStack.send("GET", fhir("Patient/" + id), token, null, "If-Modified-Since", earlier)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void preferChoosesWhatCreateAndUpdateAnswer() throws Exception {
        String token = token("dr.jansen");
        HttpResponse<String> minimal = TestStack.send("POST", fhir("Patient"), token, patientBody(null, "Pref"),
                "Prefer", "return=minimal");
        assertThat(minimal.statusCode()).isEqualTo(201);
        assertThat(minimal.body()).isEmpty();
        assertThat(minimal.headers().firstValue("ETag")).hasValue("W/\"1\"");
        String location = minimal.headers().firstValue("Location").orElseThrow();
        String id = location.replaceAll(".*/Patient/([^/]+)/_history/.*", "$1");

        HttpResponse<String> outcome = put(token, id, "Pref2", "Prefer", "return=OperationOutcome");
        assertThat(outcome.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(outcome.body()).path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(R4Validation.errors(outcome.body())).isEmpty();

        HttpResponse<String> representation = put(token, id, "Pref3", "Prefer", "return=representation");
        assertThat(JSON.readTree(representation.body()).path("meta").path("versionId").asText()).isEqualTo("3");
    }

    @Test
    void systemHistoryShowsEveryTypeWithinTheCallersScopeAndIsAudited() throws Exception {
        String jansen = token("dr.jansen");
        Instant since = Instant.now().minusSeconds(1);
        String id = patient(jansen, "Hist");
        HttpResponse<String> obs = TestStack.send("POST", fhir("Observation"), jansen, "{\"resourceType\":"
                + "\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"hist\"},\"subject\":{\"reference\":"
                + "\"Patient/" + id + "\"}}");
        assertThat(obs.statusCode()).as(obs.body()).isEqualTo(201);
        String obsId = JSON.readTree(obs.body()).path("id").asText();

        HttpResponse<String> mine = TestStack.get(fhir("_history?_since=" + since + "&_count=1000"), jansen);
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        JsonNode history = JSON.readTree(mine.body());
        assertThat(history.path("type").asText()).isEqualTo("history");
        List<String> urls = new ArrayList<>();
        history.path("entry").forEach(e -> urls.add(e.path("resource").path("resourceType").asText() + "/"
                + e.path("resource").path("id").asText()));
        assertThat(urls).contains("Patient/" + id, "Observation/" + obsId);
        assertThat(R4Validation.errors(mine.body())).isEmpty();

        HttpResponse<String> paged = TestStack.get(fhir("_history?_since=" + since + "&_count=1"), jansen);
        JsonNode page = JSON.readTree(paged.body());
        assertThat(page.path("entry").size()).isEqualTo(1);
        assertThat(page.path("link").toString()).contains("\"next\"");

        String mueller = TestStack.token("dr.mueller");
        HttpResponse<String> theirs = TestStack.get(fhir("_history?_since=" + since + "&_count=1000"), mueller);
        assertThat(theirs.statusCode()).isEqualTo(200);
        assertThat(theirs.body()).doesNotContain(id).doesNotContain(obsId);
        assertThat(auditCount("dr.mueller", "history-system")).isPositive();
    }

    @Test
    void batchAnswersReadsAndNamesEachFailingEntry() throws Exception {
        String token = token("dr.jansen");
        String id = patient(token, "Batch");
        String mrn = UUID.randomUUID().toString();
        String bundle = """
            {"resourceType":"Bundle","type":"batch","entry":[
             {"resource":{"resourceType":"Patient","identifier":[{"system":"urn:test:mrn","value":"%s"}]},
              "request":{"method":"POST","url":"Patient"}},
             {"request":{"method":"GET","url":"Patient/%s"}},
             {"request":{"method":"GET","url":"Patient?_id=%s&_count=5&_consistency=strong"}},
             {"resource":{"resourceType":"Patient","id":"%s"},"request":{"method":"PUT","url":"Observation/%s"}},
             {"request":{"method":"GET","url":"Patient/%s"}},
             {"resource":{"resourceType":"Patient","id":"%s","name":[{"family":"Stale"}]},
              "request":{"method":"PUT","url":"Patient/%s","ifMatch":"W/\\"9\\""}}]}"""
                .formatted(mrn, id, id, id, id, UUID.randomUUID(), id, id);
        long searchesBefore = auditCount("dr.jansen", "search-type");
        HttpResponse<String> r = TestStack.post(TestStack.app(base) + "/fhir", token, bundle);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(auditCount("dr.jansen", "read", id)).as("the batch's read, audited as a read").isEqualTo(1);
        assertThat(auditCount("dr.jansen", "search-type")).as("the batch's search, audited")
                .isGreaterThan(searchesBefore);
        JsonNode entries = JSON.readTree(r.body()).path("entry");
        assertThat(entries.get(0).path("response").path("status").asText()).startsWith("201");
        assertThat(entries.get(1).path("response").path("status").asText()).startsWith("200");
        assertThat(entries.get(1).path("resource").path("id").asText()).isEqualTo(id);
        assertThat(entries.get(1).path("response").path("etag").asText()).isEqualTo("W/\"1\"");
        JsonNode searchset = entries.get(2).path("resource");
        assertThat(searchset.path("type").asText()).isEqualTo("searchset");
        assertThat(searchset.path("entry").get(0).path("resource").path("id").asText()).isEqualTo(id);
        assertThat(searchset.path("entry").get(0).path("search").path("mode").asText()).isEqualTo("match");
        assertThat(entries.get(3).path("response").path("status").asText()).startsWith("400");
        assertThat(entries.get(3).path("response").path("outcome").toString()).contains("entry 3")
                .contains("Bundle.entry[3]");
        assertThat(entries.get(4).path("response").path("status").asText()).startsWith("404");
        assertThat(entries.get(4).path("response").path("outcome").toString()).contains("Bundle.entry[4]");
        assertThat(entries.get(5).path("response").path("status").asText()).startsWith("412");
        assertThat(entries.get(5).path("response").path("outcome").toString()).contains("EHR-0440")
                .contains("Bundle.entry[5]");
        assertThat(versionOf(token, id)).isEqualTo("1");
        assertThat(R4Validation.errors(r.body())).isEmpty();
    }

    @Test
    void aTransactionEntrysIfMatchIsCheckedAndAStaleOneWritesNothing() throws Exception {
        String token = token("dr.jansen");
        String id = patient(token, "Tx");
        String mrn = UUID.randomUUID().toString();
        String bundle = """
            {"resourceType":"Bundle","type":"transaction","entry":[
             {"resource":{"resourceType":"Patient","identifier":[{"system":"urn:test:mrn","value":"%s"}]},
              "request":{"method":"POST","url":"Patient"}},
             {"resource":{"resourceType":"Patient","id":"%s","name":[{"family":"Stale"}]},
              "request":{"method":"PUT","url":"Patient/%s","ifMatch":"W/\\"2\\""}}]}""".formatted(mrn, id, id);
        HttpResponse<String> r = TestStack.post(TestStack.app(base) + "/fhir", token, bundle);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(412);
        assertThat(r.body()).contains("EHR-0440");
        assertThat(JSON.readTree(TestStack.get(fhir("Patient?identifier=" + MRN + "|" + mrn
                + "&_consistency=strong"), token).body()).path("total").asInt()).isZero();
        assertThat(versionOf(token, id)).isEqualTo("1");
    }

    @Test
    void searchsetsHaveShortIdsEntryModesAndPageToTheEnd() throws Exception {
        String token = token("dr.jansen");
        String family = "Pager" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            patient(token, family);
        }
        String url = fhir("Patient?family=" + family + "&_count=1&_consistency=strong");
        List<String> seen = new ArrayList<>();
        for (int pages = 0; url != null && pages < 10; pages++) {
            HttpResponse<String> r = TestStack.get(url, token);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(r.body());
            assertThat(page.path("id").asText()).matches("[A-Za-z0-9\\-.]{1,64}");
            page.path("entry").forEach(e -> {
                assertThat(e.path("search").path("mode").asText()).isEqualTo("match");
                seen.add(e.path("resource").path("id").asText());
            });
            assertThat(R4Validation.errors(r.body())).as(r.body()).isEmpty();
            url = null;
            for (JsonNode link : page.path("link")) {
                if ("next".equals(link.path("relation").asText())) {
                    url = link.path("url").asText();
                }
            }
        }
        assertThat(seen).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void aFormSearchWithoutCharsetIsUtf8() throws Exception {
        String token = token("dr.jansen");
        String family = "Müller" + UUID.randomUUID().toString().substring(0, 8);
        String id = patient(token, family);
        String form = "family=" + URLEncoder.encode(family, StandardCharsets.UTF_8) + "&_consistency=strong";
        HttpRequest request = HttpRequest.newBuilder(URI.create(fhir("Patient/_search")))
                .header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("total").asInt()).as(r.body()).isEqualTo(1);
        assertThat(r.body()).contains(id);
    }

    @Test
    void aCountAboveTheMaximumIsCappedNotRefused() throws Exception {
        String token = token("dr.jansen");
        HttpResponse<String> search = TestStack.get(fhir("Patient?_count=5000"), token);
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        HttpResponse<String> history = TestStack.get(fhir("Patient/_history?_count=5000"), token);
        assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
        HttpResponse<String> negative = TestStack.get(fhir("Patient?_count=-1"), token);
        assertThat(negative.statusCode()).as(negative.body()).isEqualTo(400);
        assertThat(negative.body()).contains("EHR-0202");
    }

    @Test
    void a401ChallengesForABearerToken() throws Exception {
        HttpResponse<String> none = TestStack.get(fhir("Patient"), null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .startsWith("Bearer ").doesNotContain("error="));
        HttpResponse<String> refused = TestStack.get(fhir("Patient"), "not-a-token");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("OperationOutcome").contains("EHR-0300");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .startsWith("Bearer ").contains("error=\"invalid_token\""));
        String real = token("dr.jansen");
        String tampered = real.substring(0, real.length() - 4) + (real.endsWith("AAAA") ? "BBBB" : "AAAA");
        HttpResponse<String> forged = TestStack.get(fhir("Patient"), tampered);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .contains("error=\"invalid_token\""));
    }

    @Test
    void theCapabilityStatementDescribesMeridian() throws Exception {
        HttpResponse<String> r = TestStack.get(fhir("metadata"), null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode cs = JSON.readTree(r.body());
        assertThat(cs.path("software").path("name").asText()).isEqualTo("Meridian EHR");
        assertThat(cs.path("software").path("version").asText()).isNotBlank().isNotEqualTo("unknown")
                .doesNotContain("8.8");
        assertThat(r.body()).doesNotContain("HAPI FHIR Server");
        JsonNode rest = cs.path("rest").get(0);
        assertThat(rest.path("security").path("service").get(0).path("coding").get(0).path("code").asText())
                .isEqualTo("OAuth");
        assertThat(rest.path("security").toString()).contains("oauth-uris")
                .contains(TestStack.issuer() + "/protocol/openid-connect/token");
        List<String> interactions = new ArrayList<>();
        rest.path("interaction").forEach(i -> interactions.add(i.path("code").asText()));
        assertThat(interactions).contains("transaction", "batch", "history-system");
        assertThat(R4Validation.errors(r.body())).isEmpty();
    }

    private static long auditCount(String username, String interaction) throws Exception {
        return auditCount(username, interaction, null);
    }

    private static long auditCount(String username, String interaction, String resourceId) throws Exception {
        try (Connection c = TestStack.ownerConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM audit_event WHERE username = ? AND interaction = ?"
                        + (resourceId == null ? "" : " AND resource_id = ?"))) {
            s.setString(1, username);
            s.setString(2, interaction);
            if (resourceId != null) {
                s.setString(3, resourceId);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
