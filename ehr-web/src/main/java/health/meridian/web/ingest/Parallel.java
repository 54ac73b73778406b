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
 * Work of a chunk split across the cores: the calling thread and one managed helper per further core each take
 * every n-th item (the container's threads, so class loading and naming work as on a request thread).
 */
@ApplicationScoped
public class Parallel {

    /** Below this many items per part a second thread is not worth it. */
    static final int MIN_PER_PART = 32;

    @Resource
    ManagedExecutorService executor;

    public <T, R> List<R> map(List<T> items, Function<T, R> f) {
        int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), items.size() / MIN_PER_PART));
        Object[] out = new Object[items.size()];
        List<Future<?>> helpers = new ArrayList<>();
        for (int part = 1; part < parts; part++) {
            int first = part;
            helpers.add(executor.submit(() -> run(items, f, out, first, parts)));
        }
        run(items, f, out, 0, parts);
        for (Future<?> helper : helpers) {
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
