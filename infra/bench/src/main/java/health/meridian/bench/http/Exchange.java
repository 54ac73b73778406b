package health.meridian.bench.http;

import health.meridian.bench.BenchException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One timed HTTP exchange; a network failure becomes status 0 with the message, so it counts as an error. */
final class Exchange {

    private Exchange() {
    }

    static FhirResponse send(HttpClient http, HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new FhirResponse(r.statusCode(), r.body(), System.nanoTime() - start);
        } catch (IOException e) {
            return new FhirResponse(0, "BENCH-0110 " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    System.nanoTime() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("BENCH-0111 interrupted", e);
        }
    }
}
