package health.meridian.bench.importer;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One status line: patients done / total, resources, resources/s, failures. */
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

    /** Redrawn in place in a terminal; otherwise (a log file, CI) one line every 5 seconds. */
    private final boolean terminal = System.console() != null;
    private long lastLine;

    public synchronized void draw() {
        if (terminal) {
            out.print("\r" + line());
            out.flush();
        } else if (System.nanoTime() - lastLine > 5_000_000_000L) {
            out.println("meridian: import: " + line());
            lastLine = System.nanoTime();
        }
    }

    public synchronized void finish() {
        out.println(terminal ? "\r" + line() : "meridian: import: " + line());
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
