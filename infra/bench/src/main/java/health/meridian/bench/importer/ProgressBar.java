package health.meridian.bench.importer;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One redrawn status line: patients done / total, resources, resources/s, failures. */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final int total;
    private final long startNanos = System.nanoTime();
    private final AtomicInteger files = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong resources = new AtomicLong();

    public ProgressBar(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    public void fileDone(int resourceCount) {
        files.incrementAndGet();
        resources.addAndGet(resourceCount);
    }

    public void fileFailed() {
        files.incrementAndGet();
        failures.incrementAndGet();
    }

    public synchronized void draw() {
        out.print("\r" + line());
        out.flush();
    }

    public synchronized void finish() {
        out.println("\r" + line());
    }

    String line() {
        int done = files.get();
        int filled = total == 0 ? WIDTH : Math.min(WIDTH, done * WIDTH / total);
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        return String.format("[%s%s] patients %d/%d, %d resources, %.0f resources/s, %d failed, %.0f s",
                "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, resources.get(),
                resources.get() / seconds, failures.get(), seconds);
    }
}
