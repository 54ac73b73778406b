package health.meridian.migrations;

import java.time.Duration;
import java.util.function.IntSupplier;
import org.flywaydb.core.Flyway;

/**
 * Waits until the database holds every migration this image carries, as the application role (which may read
 * flyway_schema_history, nothing more): the init container of the app's pods on Kubernetes, so no app container
 * starts on a schema older than its own code. The migration Job (a Helm hook, {@link Migrate}) applies them.
 *
 * <p>Environment: {@code MERIDIAN_DB_URL}, {@code MERIDIAN_DB_USER}, {@code MERIDIAN_DB_PASSWORD};
 * {@code MERIDIAN_AWAIT_SCHEMA_SECONDS} (default 600). Exit 0 once nothing is pending, 1 on timeout.
 */
public final class AwaitSchema {

    static final Duration POLL = Duration.ofSeconds(3);

    private AwaitSchema() {
    }

    public static void main(String[] args) {
        String url = env("MERIDIAN_DB_URL");
        String user = env("MERIDIAN_DB_USER");
        String password = env("MERIDIAN_DB_PASSWORD");
        Duration timeout = Duration.ofSeconds(Long.parseLong(
                System.getenv().getOrDefault("MERIDIAN_AWAIT_SCHEMA_SECONDS", "600")));
        Flyway flyway = Flyway.configure().dataSource(url, user, password)
                .locations("classpath:db/migration").load();
        boolean ready = await(() -> flyway.info().pending().length, timeout, POLL, AwaitSchema::sleep);
        System.exit(ready ? 0 : 1);
    }

    /**
     * Polls {@code pending} (the migrations the database lacks; it may throw while the database is not reachable yet)
     * until it answers 0 or {@code timeout} has passed.
     */
    static boolean await(IntSupplier pending, Duration timeout, Duration poll, Sleeper sleeper) {
        long waited = 0;
        while (true) {
            String state;
            try {
                int missing = pending.getAsInt();
                if (missing == 0) {
                    System.out.println("meridian: schema is up to date");
                    return true;
                }
                state = missing + " migration(s) pending";
            } catch (RuntimeException e) {
                state = "database not reachable (" + e.getClass().getSimpleName() + ")";
            }
            if (waited >= timeout.toMillis()) {
                System.err.println("meridian: gave up waiting for the schema after " + timeout + ": " + state);
                return false;
            }
            System.out.println("meridian: waiting for the migration Job: " + state);
            sleeper.sleep(poll);
            waited += poll.toMillis();
        }
    }

    interface Sleeper {
        void sleep(Duration d);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println("meridian: environment variable " + name + " is not set");
            System.exit(2);
        }
        return value;
    }
}
