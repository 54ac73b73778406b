package health.meridian.bench.load;

import health.meridian.bench.BenchException;
import health.meridian.bench.http.FhirResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs one operation with {@code users} concurrent users: {@code warmup} unrecorded requests, then
 * {@code repetitions} rounds of {@code requests} recorded ones; latencies of all rounds are pooled.
 */
public final class LoadRunner {

    private final int users;
    private final int warmup;
    private final int requests;
    private final int repetitions;

    public LoadRunner(int users, int warmup, int requests, int repetitions) {
        this.users = users;
        this.warmup = warmup;
        this.requests = requests;
        this.repetitions = repetitions;
    }

    /** {@code call} gets the request number (to pick a sample) and performs one request. */
    public LatencyStats run(String operation, IntFunction<FhirResponse> call) {
        round(call, warmup, new ArrayList<>(), new AtomicInteger());
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        double seconds = 0;
        for (int r = 0; r < repetitions; r++) {
            seconds += round(call, requests, millis, errors);
        }
        return LatencyStats.of(operation, users, millis, errors.get(), seconds);
    }

    private double round(IntFunction<FhirResponse> call, int count, List<Double> millis, AtomicInteger errors) {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(users);
        long start = System.nanoTime();
        for (int u = 0; u < users; u++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    FhirResponse response = call.apply(i);
                    if (response.ok()) {
                        millis.add(response.millis());
                    } else {
                        errors.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
                pool.shutdownNow();
                throw new BenchException("BENCH-0501 a load round did not finish within 30 min");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("BENCH-0502 interrupted", e);
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
