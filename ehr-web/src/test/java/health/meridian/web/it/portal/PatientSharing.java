package health.meridian.web.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a patient shares, ended through the portal's own API: tests share the demo patients, so a test that needs
 * "nobody reaches her record but through what this test opens" first ends every grant and share code left by others.
 */
public final class PatientSharing {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PatientSharing() {
    }

    /** Revokes the patient's active grants and withdraws her share codes that are not withdrawn yet. */
    public static void endAll(String app, String patientToken) throws Exception {
        for (JsonNode g : list(app, "/api/grants", patientToken)) {
            if (g.path("revoked").isNull() || g.path("revoked").isMissingNode()) {
                send("DELETE", app + "/api/grants/" + g.path("id").asText(), patientToken);
            }
        }
        for (JsonNode c : list(app, "/api/share-codes", patientToken)) {
            if (!"withdrawn".equals(c.path("status").asText())) {
                send("DELETE", app + "/api/share-codes/" + c.path("id").asText(), patientToken);
            }
        }
    }

    private static JsonNode list(String app, String path, String token) throws Exception {
        HttpResponse<String> r = send("GET", app + path, token);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** A JSON API call without a body, so without a Content-Type (a GET naming a type the API does not take is 415). */
    private static HttpResponse<String> send(String method, String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json").header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
