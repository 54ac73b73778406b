package health.meridian.web.ingest;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Work split across the cores: the calling thread and one managed helper per further core each take every n-th
 * item (the container's threads, so class loading and naming work as on a request thread). A part whose helper has
 * not started by the time the caller finished its own is done by the caller: a busy pool never makes it wait.
 */
@ApplicationScoped
public class Parallel {

    /** Below this many items per part a second thread is not worth it. */
    static final int MIN_PER_PART = 32;

    @Resource
    ManagedExecutorService executor;

    public <T, R> List<R> map(List<T> items, Function<T, R> f) {
        return map(items, f, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #map(List, Function)} on at most {@code threads} threads (the caller's included). */
    public <T, R> List<R> map(List<T> items, Function<T, R> f, int threads) {
        int parts = Math.max(1, Math.min(Math.min(threads, Runtime.getRuntime().availableProcessors()),
                items.size() / MIN_PER_PART));
        Object[] out = new Object[items.size()];
        java.util.concurrent.atomic.AtomicBoolean[] claimed = new java.util.concurrent.atomic.AtomicBoolean[parts];
        List<Future<?>> helpers = new ArrayList<>();
        for (int part = 1; part < parts; part++) {
            int first = part;
            claimed[part] = new java.util.concurrent.atomic.AtomicBoolean();
            helpers.add(executor.submit(() -> {
                if (claimed[first].compareAndSet(false, true)) {
                    run(items, f, out, first, parts);
                }
            }));
        }
        run(items, f, out, 0, parts);
        // a part no helper has started yet (the pool is busy) is done here rather than waited for
        boolean[] byCaller = new boolean[parts];
        for (int part = 1; part < parts; part++) {
            if (claimed[part].compareAndSet(false, true)) {
                byCaller[part] = true;
                run(items, f, out, part, parts);
            }
        }
        for (int part = 1; part < parts; part++) {
            Future<?> helper = helpers.get(part - 1);
            if (byCaller[part]) {
                helper.cancel(false);
                continue;
            }
            try {
                helper.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("EHR-1032 interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException("EHR-1032 " + e.getCause(), e.getCause());
            }
        }
        @SuppressWarnings("unchecked")
        List<R> result = (List<R>) Arrays.asList(out);
        return result;
    }

    private static <T, R> void run(List<T> items, Function<T, R> f, Object[] out, int first, int step) {
        for (int i = first; i < items.size(); i += step) {
            out[i] = f.apply(items.get(i));
        }
    }
}
