package health.meridian.web.export;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Settings of bulk export, from MicroProfile Config or the environment: {@code MERIDIAN_EXPORT_FILE_RESOURCES}
 * (resources per output file, default 10,000: a type with more is split over several files),
 * {@code MERIDIAN_EXPORT_RETENTION_SECONDS} (how long a finished job's files can be downloaded, default 3,600),
 * {@code MERIDIAN_EXPORT_LEASE_SECONDS} (how long a silent worker keeps a job before another instance takes it over,
 * default 60).
 */
@ApplicationScoped
public class ExportSettings {

    public int resourcesPerFile() {
        return Math.max(1, value("meridian.export.file-resources").map(Integer::parseInt).orElse(10_000));
    }

    public Duration retention() {
        return Duration.ofSeconds(value("meridian.export.retention-seconds").map(Long::parseLong).orElse(3600L));
    }

    public Duration lease() {
        return Duration.ofSeconds(value("meridian.export.lease-seconds").map(Long::parseLong).orElse(60L));
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
