package health.meridian.web.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the lines of an input come from: a file of the configured import directory (named relative to it, or as a
 * {@code file:} URL inside it — nothing outside it is ever opened), or an uploaded body kept with the job.
 */
@ApplicationScoped
public class ImportSources {

    @Inject
    ImportSettings settings;

    /** The file an input URL names, inside the import directory; refused otherwise (EHR-1002/1003). */
    public Path file(String url) {
        Path dir = settings.directory().orElseThrow(() -> new IllegalArgumentException(
                "EHR-1003 this server has no import directory: upload the ndjson in the request instead"));
        Path named;
        try {
            named = url.startsWith("file:") ? Path.of(URI.create(url)) : dir.resolve(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("EHR-1002 input url " + url + " is not a file of the import directory");
        }
        Path file = named.toAbsolutePath().normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("EHR-1002 input url " + url + " is not a readable file of the import"
                    + " directory");
        }
        return file;
    }

    BufferedReader open(String source, String uploaded) throws IOException {
        if (uploaded != null) {
            return new BufferedReader(new StringReader(uploaded));
        }
        return Files.newBufferedReader(file(source), StandardCharsets.UTF_8);
    }
}
