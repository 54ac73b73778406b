package health.meridian.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Samples VmRSS of the local app process (pid from $MERIDIAN_STATE/run/app.pid) once a second; keeps the peak. */
public final class RssSampler implements AutoCloseable {

    private final Path statusFile;
    private final AtomicLong peakKb = new AtomicLong(-1);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    private RssSampler(Path statusFile) {
        this.statusFile = statusFile;
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    /** Empty when there is no local app (another server, or no pid file). */
    public static java.util.Optional<RssSampler> forPidFile(Path pidFile) {
        try {
            String pid = Files.readString(pidFile).trim();
            Path status = Path.of("/proc", pid, "status");
            return Files.exists(status) ? java.util.Optional.of(new RssSampler(status)) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    public OptionalLong currentMib() {
        long kb = read();
        return kb < 0 ? OptionalLong.empty() : OptionalLong.of(kb / 1024);
    }

    public OptionalLong peakMib() {
        long kb = peakKb.get();
        return kb < 0 ? OptionalLong.empty() : OptionalLong.of(kb / 1024);
    }

    private void sample() {
        long kb = read();
        peakKb.accumulateAndGet(kb, Math::max);
    }

    private long read() {
        try {
            for (String line : Files.readAllLines(statusFile)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
