package health.meridian.web.it.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.meridian.bench.http.FhirClient;
import health.meridian.bench.http.FhirResponse;
import health.meridian.bench.http.PasswordGrantTokens;
import health.meridian.bench.synthea.ImportPayload;
import health.meridian.bench.synthea.SyntheaFile;
import health.meridian.web.it.TestStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The Synthea sample ({@code src/test/resources/synthea/30-42}) imported once per app into nl-amstel as dr.jansen,
 * exactly as {@code ./meridian import} sends it: its {@link ImportPayload} (batch bundles sent as transactions, the
 * Patient entry made conditional on its Synthea identifier) and its {@link FhirClient}, shared bundles first. Right
 * after the import, before any test can write more, it reads back every version of each imported type recorded
 * since the import began ({@code GET /fhir/Type/_history?_since}, read from PostgreSQL), so the tests judge what the
 * import stored whatever order they run in.
 */
final class SyntheaImport {

    static final String SAMPLE = "synthea/30-42";
    static final String CLINICIAN = "dr.jansen";
    static final Duration POST_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, SyntheaImport> DONE = new ConcurrentHashMap<>();

    /** One bundle as sent and the server's answer. */
    record Sent(SyntheaFile file, ImportPayload payload, FhirResponse response, JsonNode answer) {

        static Sent of(SyntheaFile file, ImportPayload payload, FhirResponse response) {
            JsonNode answer;
            try {
                answer = JSON.readTree(response.body());
            } catch (IOException e) {
                answer = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            return new Sent(file, payload, response, answer);
        }

        /** The type of request entry i and the "Type/id" the server answered for it. */
        String type(int i) {
            return payload.bundle().path("entry").path(i).path("resource").path("resourceType").asText();
        }

        String location(int i) {
            return answer().path("entry").path(i).path("response").path("location").asText()
                    .replaceFirst("/_history/.*$", "");
        }

        String status(int i) {
            return answer().path("entry").path(i).path("response").path("status").asText();
        }

        int entries() {
            return payload.bundle().path("entry").size();
        }
    }

    final String app;
    final String since;
    final List<Sent> sent;
    final Map<String, JsonNode> storedByType;

    private SyntheaImport(String app, String since, List<Sent> sent, Map<String, JsonNode> storedByType) {
        this.app = app;
        this.since = since;
        this.sent = sent;
        this.storedByType = storedByType;
    }

    static SyntheaImport into(String app) {
        return DONE.computeIfAbsent(app, SyntheaImport::run);
    }

    private static SyntheaImport run(String app) {
        try {
            TestStack.ensureTenants(app);
            FhirClient client = clinician(app, CLINICIAN);
            String since = databaseNow();
            long start = System.nanoTime();
            List<Sent> sent = new ArrayList<>();
            for (SyntheaFile file : files()) {
                ImportPayload payload = payload(file);
                sent.add(Sent.of(file, payload, client.postBundle(payload.bytes(), POST_TIMEOUT)));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            Map<String, JsonNode> stored = new TreeMap<>();
            for (String type : entriesByType(sent).keySet()) {
                stored.put(type, history(client, type, since));
            }
            System.out.printf("SyntheaImportIT: %d bundles, %d entries imported in %d ms%n", sent.size(),
                    sent.stream().mapToInt(Sent::entries).sum(), millis);
            return new SyntheaImport(app, since, List.copyOf(sent), stored);
        } catch (Exception e) {
            throw new IllegalStateException("importing the Synthea sample failed: " + e, e);
        }
    }

    /** Entries of the sent bundles per resource type. */
    static Map<String, Integer> entriesByType(List<Sent> sent) {
        Map<String, Integer> out = new TreeMap<>();
        for (Sent s : sent) {
            for (int i = 0; i < s.entries(); i++) {
                out.merge(s.type(i), 1, Integer::sum);
            }
        }
        return out;
    }

    /** The sample's files in the order the importer sends them: hospitals, practitioners, then patients by name. */
    static List<SyntheaFile> files() throws IOException, URISyntaxException {
        Path dir = Path.of(SyntheaImport.class.getClassLoader().getResource(SAMPLE).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json.gz")).map(SyntheaFile::of)
                    .sorted(Comparator.comparing(SyntheaFile::kind).thenComparing(SyntheaFile::name)).toList();
        }
    }

    static ImportPayload payload(SyntheaFile file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file.path()))) {
            return ImportPayload.of((ObjectNode) JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Sent patient(String namePrefix) {
        return sent.stream().filter(s -> s.file().isPatient() && s.file().name().startsWith(namePrefix)).findFirst()
                .orElseThrow();
    }

    /** Every "Type/id" the server answered for the import (created or matched by a conditional create). */
    Map<String, String> locations() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Sent s : sent) {
            for (int i = 0; i < s.entries(); i++) {
                out.put(s.location(i), s.file().name() + " entry " + i);
            }
        }
        return out;
    }

    static FhirClient clinician(String app, String username) {
        String keycloak = TestStack.issuer().replaceFirst("/realms/[^/]+$", "");
        return new FhirClient(FhirClient.newHttp(), app + "/fhir", new PasswordGrantTokens(keycloak, username,
                "meridian"));
    }

    /** Every version of a type recorded since an instant that the caller may see (one page, at most 1,000). */
    static JsonNode history(FhirClient client, String type, String since) {
        FhirResponse r = client.get(type + "/_history?_since=" + TestStack.enc(since) + "&_count=1000");
        if (r.status() != 200) {
            throw new IllegalStateException(type + "/_history answered " + r.status() + ": " + r.body());
        }
        return read(r.body());
    }

    static String databaseNow() throws Exception {
        try (Connection c = TestStack.ownerConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
