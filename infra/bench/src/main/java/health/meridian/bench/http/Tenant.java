package health.meridian.bench.http;

/** A tenant (institution) the workload writes into and reads from, with the client acting in it. */
public record Tenant(String name, FhirClient client) {
}
