package health.meridian.bench.http;

/** One answer of the server (FHIR or Meridian's JSON API): status, body and how long the exchange took. */
public record FhirResponse(int status, String body, long nanos) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public double millis() {
        return nanos / 1_000_000.0;
    }
}
