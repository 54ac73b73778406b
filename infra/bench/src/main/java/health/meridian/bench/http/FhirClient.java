package health.meridian.bench.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/** A FHIR R4 server base URL with one caller's tokens. Network failures surface as status 0 with the message. */
public final class FhirClient {

    private static final String FHIR_JSON = "application/fhir+json";

    private final HttpClient http;
    private final String baseUrl;
    private final TokenSource tokens;

    public FhirClient(HttpClient http, String baseUrl, TokenSource tokens) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokens = tokens;
    }

    public static HttpClient newHttp() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** POST a Bundle to the base URL (transaction or batch). */
    public FhirResponse postBundle(byte[] json, Duration timeout) {
        return send(request("", timeout).header("Content-Type", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    /** POST one resource to its type's endpoint (FHIR create), asking for the stored resource in the answer. */
    public FhirResponse create(String type, String json) {
        return send(request(type, Duration.ofSeconds(60)).header("Content-Type", FHIR_JSON)
                .header("Prefer", "return=representation").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** GET a path relative to the base URL, e.g. {@code Patient/123} or {@code Observation?patient=1}. */
    public FhirResponse get(String relative) {
        return send(request(relative, Duration.ofSeconds(60)).GET());
    }

    /** An exchange whose headers matter (FHIR's asynchronous pattern: Content-Location, X-Progress). */
    public java.net.http.HttpResponse<String> exchange(String method, String relative, String contentType,
                                                       String body) {
        HttpRequest.Builder b = request(relative, Duration.ofSeconds(120)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            return http.send(b.header("Prefer", "respond-async").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new health.meridian.bench.BenchException("BENCH-0340 " + relative + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new health.meridian.bench.BenchException("BENCH-0340 interrupted", e);
        }
    }

    private HttpRequest.Builder request(String relative, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/" + relative)).timeout(timeout)
                .header("Accept", FHIR_JSON);
        tokens.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private FhirResponse send(HttpRequest.Builder builder) {
        return Exchange.send(http, builder.build());
    }
}
