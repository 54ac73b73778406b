package health.meridian.migrations;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway SQL migrations as the schema owner. Runs as its own step (before the app starts), never from
 * inside the application: the application's database role is not the owner of the tables it uses.
 *
 * <p>Configuration comes from the environment: {@code MERIDIAN_DB_URL}, {@code MERIDIAN_DB_OWNER},
 * {@code MERIDIAN_DB_OWNER_PASSWORD}; {@code MERIDIAN_DB_APP_ROLE} names the role that gets the grants
 * (placeholder {@code ${app_role}} in the SQL, default {@code meridian_app}).
 */
public final class Migrate {

    private Migrate() {
    }

    public static void main(String[] args) {
        String url = required("MERIDIAN_DB_URL");
        String owner = required("MERIDIAN_DB_OWNER");
        String password = required("MERIDIAN_DB_OWNER_PASSWORD");
        String appRole = System.getenv().getOrDefault("MERIDIAN_DB_APP_ROLE", "meridian_app");
        try {
            MigrateResult result = flyway(url, owner, password, appRole).migrate();
            System.out.printf("meridian: schema at version %s (%d migration(s) applied)%n",
                    result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                    result.migrationsExecuted);
        } catch (RuntimeException e) {
            System.err.println("meridian: migration failed: " + rootCause(e));
            System.exit(1);
        }
    }

    /**
     * Flyway's lock on PostgreSQL as a session advisory lock, not one held in an open transaction: a migration that
     * builds an index CONCURRENTLY (V9) waits for every open transaction and would wait for Flyway's own forever.
     */
    static final java.util.Map<String, String> POSTGRESQL_SESSION_LOCK =
            java.util.Map.of("flyway.postgresql.transactional.lock", "false");

    static Flyway flyway(String url, String owner, String password, String appRole) {
        return Flyway.configure()
                .configuration(POSTGRESQL_SESSION_LOCK)
                .dataSource(url, owner, password)
                .locations("classpath:db/migration")
                .placeholders(java.util.Map.of("app_role", appRole))
                .validateMigrationNaming(true)
                .load();
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println("meridian: environment variable " + name + " is not set");
            System.exit(2);
        }
        return value;
    }

    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
