package health.meridian.bench.importer;

import health.meridian.bench.BenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which files of an import have been sent ({@code started}) and which the server committed ({@code done}), one
 * synced line per event, so a crashed import resumes where it stopped. A file that is started but not done may or
 * may not have been committed: {@link CommitProbe} decides before it is sent again.
 */
public final class ImportJournal {

    private final Path file;
    private final Set<String> started = new HashSet<>();
    private final Set<String> done = new HashSet<>();

    private ImportJournal(Path file) {
        this.file = file;
    }

    /** Opens (or creates) the journal at {@code file} and reads what it already records. */
    public static ImportJournal open(Path file) {
        ImportJournal journal = new ImportJournal(file);
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                Files.readAllLines(file, StandardCharsets.UTF_8).forEach(journal::replay);
            }
        } catch (IOException e) {
            throw new BenchException("BENCH-0301 cannot read the import journal " + file + ": " + e.getMessage(), e);
        }
        return journal;
    }

    /** A journal that remembers nothing on disk (benchmark runs, which import fresh clones every time). */
    public static ImportJournal inMemory() {
        return new ImportJournal(null);
    }

    private void replay(String line) {
        String[] p = line.split("\t");
        if (p.length >= 3 && p[0].equals("started")) {
            started.add(key(p[1], p[2]));
        } else if (p.length >= 3 && p[0].equals("done")) {
            done.add(key(p[1], p[2]));
        }
    }

    public synchronized boolean isDone(String tenant, String fileName) {
        return done.contains(key(tenant, fileName));
    }

    /** Sent before, but no answer recorded: the server may have committed it. */
    public synchronized boolean isInDoubt(String tenant, String fileName) {
        String k = key(tenant, fileName);
        return started.contains(k) && !done.contains(k);
    }

    public synchronized void started(String tenant, String fileName) {
        started.add(key(tenant, fileName));
        append("started\t" + tenant + "\t" + fileName);
    }

    public synchronized void done(String tenant, String fileName, int resources) {
        done.add(key(tenant, fileName));
        append("done\t" + tenant + "\t" + fileName + "\t" + resources);
    }

    public synchronized int doneCount() {
        return done.size();
    }

    public Path file() {
        return file;
    }

    private void append(String line) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new BenchException("BENCH-0302 cannot write the import journal " + file + ": " + e.getMessage(), e);
        }
    }

    private static String key(String tenant, String fileName) {
        return tenant + "/" + fileName;
    }
}
