package health.meridian.web.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.concurrent.ManagedExecutorService;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Work split across the cores never waits for a pool that is busy with something else. */
class ParallelTest {

    /** An executor whose threads are all taken: submitted tasks are queued and never start. */
    private static ManagedExecutorService busyPool() {
        return (ManagedExecutorService) Proxy.newProxyInstance(ParallelTest.class.getClassLoader(),
                new Class<?>[] {ManagedExecutorService.class}, (proxy, method, args) -> {
                    if ("submit".equals(method.getName())) {
                        return new FutureTask<>((Runnable) args[0], null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void partsNoHelperStartedAreDoneByTheCallerInOrder() {
        Parallel parallel = new Parallel();
        parallel.executor = busyPool();
        List<Integer> items = IntStream.range(0, 1000).boxed().toList();
        List<Integer> doubled = parallel.map(items, i -> i * 2);
        assertThat(doubled).hasSize(1000);
        assertThat(doubled.get(0)).isZero();
        assertThat(doubled.get(999)).isEqualTo(1998);
        assertThat(doubled).isSortedAccordingTo(Integer::compare);
    }

    @Test
    void oneThreadMeansTheCallerAloneAndNothingIsSubmitted() {
        Parallel parallel = new Parallel();
        java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
        parallel.executor = (ManagedExecutorService) Proxy.newProxyInstance(ParallelTest.class.getClassLoader(),
                new Class<?>[] {ManagedExecutorService.class}, (proxy, method, args) -> {
                    submitted.incrementAndGet();
                    throw new UnsupportedOperationException(method.getName());
                });
        Thread caller = Thread.currentThread();
        List<Integer> items = IntStream.range(0, 1000).boxed().toList();
        List<Boolean> onCaller = parallel.map(items, i -> Thread.currentThread() == caller, 1);
        assertThat(onCaller).hasSize(1000).containsOnly(true);
        assertThat(submitted).hasValue(0);
    }
}
