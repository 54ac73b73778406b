package health.meridian.bench.importer;

import health.meridian.bench.http.Tenant;
import health.meridian.bench.synthea.ImportPayload;
import health.meridian.bench.synthea.SyntheaFile;
import java.util.function.Supplier;

/** One file to import into one tenant; the payload is read (or prepared) when the job runs. */
public record ImportJob(SyntheaFile file, Tenant tenant, Supplier<ImportPayload> payload) {
}
