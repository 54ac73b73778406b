package health.meridian.web.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Settings of the bulk path, from the environment: {@code MERIDIAN_IMPORT_DIR} (the directory whose ndjson files
 * {@code $import} may read; none: only uploads), {@code MERIDIAN_IMPORT_CHUNK} (lines per committed chunk),
 * {@code MERIDIAN_IMPORT_VALIDATION_THREADS} (threads of the background validation, default half the cores),
 * {@code MERIDIAN_IMPORT_LEASE_SECONDS} (how long a silent worker keeps a job before another instance takes it over),
 * {@code MERIDIAN_IMPORT_TEST_FAULTS} (the integration tests' crash simulation; never set in production),
 * {@code MERIDIAN_INSTANCE_NAME} (this app instance's name, the first part of its job leases' owner: which node runs
 * which job; default the host name).
 */
@ApplicationScoped
public class ImportSettings {

    public Optional<Path> directory() {
        return value("meridian.import.dir").filter(s -> !s.isBlank()).map(s -> Path.of(s).toAbsolutePath()
                .normalize());
    }

    public int chunkLines() {
        return value("meridian.import.chunk").map(Integer::parseInt).orElse(2000);
    }

    /**
     * Threads of the background validation: by default half the cores (at least one), so a clinician's requests
     * keep the other half while a large import is validated.
     */
    public int validationThreads() {
        return value("meridian.import.validation-threads").map(Integer::parseInt).filter(n -> n > 0)
                .orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    public Duration lease() {
        return Duration.ofSeconds(value("meridian.import.lease-seconds").map(Long::parseLong).orElse(60L));
    }

    public String instanceName() {
        return value("meridian.instance.name").filter(s -> !s.isBlank()).orElseGet(() -> {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "instance";
            }
        });
    }

    public boolean testFaults() {
        return value("meridian.import.test-faults").map(Boolean::parseBoolean).orElse(false);
    }

    private static Optional<String> value(String name) {
        Optional<String> v = ConfigProvider.getConfig().getOptionalValue(name, String.class);
        if (v.isPresent()) {
            return v;
        }
        return Optional.ofNullable(System.getenv(name.toUpperCase(java.util.Locale.ROOT).replace('.', '_')
                .replace('-', '_')));
    }
}
