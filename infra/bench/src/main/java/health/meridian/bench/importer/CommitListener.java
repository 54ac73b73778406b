package health.meridian.bench.importer;

import health.meridian.bench.synthea.ImportPayload;

/** Told about every committed patient file with the server's transaction-response (the benchmark takes ids from it). */
@FunctionalInterface
public interface CommitListener {

    void committed(ImportJob job, ImportPayload payload, String responseBody);

    static CommitListener none() {
        return (job, payload, body) -> { };
    }
}
