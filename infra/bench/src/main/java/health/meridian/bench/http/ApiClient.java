package health.meridian.bench.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * Meridian's own JSON API ({@code <app>/api/...}: timeline, cohorts) with one caller's tokens, as the web app
 * calls it. Network failures surface as status 0 with the message.
 */
public final class ApiClient {

    private static final String JSON = "application/json";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http;
    private final String apiUrl;
    private final TokenSource tokens;
    private final String user;

    public ApiClient(HttpClient http, String appUrl, TokenSource tokens, String user) {
        this.http = http;
        this.apiUrl = (appUrl.endsWith("/") ? appUrl.substring(0, appUrl.length() - 1) : appUrl) + "/api/";
        this.tokens = tokens;
        this.user = user;
    }

    /** The username the tokens are issued to (for the report). */
    public String user() {
        return user;
    }

    /** GET a path relative to {@code /api/}, e.g. {@code patients/123/timeline?size=50}. */
    public FhirResponse get(String relative) {
        return Exchange.send(http, request(relative).GET().build());
    }

    /** POST a JSON body to a path relative to {@code /api/}, e.g. {@code cohorts/count}. */
    public FhirResponse post(String relative, String json) {
        return Exchange.send(http, request(relative).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpRequest.Builder request(String relative) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl + relative)).timeout(TIMEOUT)
                .header("Accept", JSON);
        tokens.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }
}
