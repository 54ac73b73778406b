package health.meridian.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.Test;

/** The Flyway set-up and the SQL files it applies, checked without a database. */
class MigrateTest {

    private static final Path SQL = Path.of("sql");
    private static final Pattern VERSION = Pattern.compile("^V(\\d+)__[a-z0-9_]+\\.sql$");

    @Test
    void flywayHoldsItsLockAsASessionLockSoConcurrentIndexBuildsDoNotWaitForIt() {
        Flyway flyway = Migrate.flyway("jdbc:postgresql://127.0.0.1:1/none", "owner", "secret", "meridian_app");
        PostgreSQLConfigurationExtension postgres = flyway.getConfiguration().getPluginRegister()
                .getPlugin(PostgreSQLConfigurationExtension.class);
        assertThat(postgres.isTransactionalLock()).isFalse();
    }

    @Test
    void versionsRunFromOneWithoutGaps() throws IOException {
        List<Integer> versions = files().stream().map(p -> {
            Matcher m = VERSION.matcher(p.getFileName().toString());
            assertThat(m.matches()).as(p.getFileName().toString()).isTrue();
            return Integer.parseInt(m.group(1));
        }).sorted().toList();
        assertThat(versions).isEqualTo(IntStream.rangeClosed(1, versions.size()).boxed().toList());
    }

    /** Flyway runs such a file outside a transaction and refuses one that mixes in transactional statements. */
    @Test
    void aConcurrentIndexBuildIsTheOnlyStatementOfItsMigration() throws IOException {
        List<Path> concurrent = files().stream().filter(p -> statements(p).stream()
                .anyMatch(s -> s.matches("(?is)^CREATE\\s+(UNIQUE\\s+)?INDEX\\s+CONCURRENTLY.*"))).toList();
        assertThat(concurrent).extracting(p -> p.getFileName().toString()).contains("V9__type_history_index.sql");
        concurrent.forEach(p -> assertThat(statements(p)).as(p.getFileName().toString()).hasSize(1));
    }

    @Test
    void typeHistoryIsIndexedByTypePersonAndRecordedTime() {
        assertThat(statements(SQL.resolve("V9__type_history_index.sql"))).singleElement().asString()
                .containsIgnoringWhitespaces("ON resource_version (resource_type, person_id, recorded_at)");
    }

    /** Issue #21 (ADR 0035): every change of the access facts bumps the counter, per statement, also TRUNCATE. */
    @Test
    void everyTableOfTheAccessFactsBumpsTheCounterInTheChangingStatement() throws IOException {
        String sql = Files.readString(SQL.resolve("V29__access_fact_version.sql"));
        for (String table : List.of("access_grant", "break_glass_session", "share_code", "tenant")) {
            assertThat(sql).as(table).containsPattern("CREATE TRIGGER access_facts_changed AFTER INSERT OR UPDATE OR"
                    + " DELETE OR TRUNCATE ON " + table + "\\s+FOR EACH STATEMENT EXECUTE FUNCTION"
                    + " meridian_access_facts_changed\\(\\)");
        }
        assertThat(sql).contains("SECURITY DEFINER SET search_path = public, pg_temp")
                .contains("GRANT SELECT ON access_fact_version TO ${app_role}")
                .doesNotContain("GRANT UPDATE ON access_fact_version").doesNotContain("GRANT ALL");
    }

    /**
     * Issue #21 (ADR 0038): every statement that can end a care relation bumps their own counter; every INSERT marks
     * its transaction without taking the counter's row lock.
     */
    @Test
    void everyTableOfTheCareRelationsBumpsTheirCounterInTheChangingStatement() throws IOException {
        String sql = Files.readString(SQL.resolve("V31__care_relation_version.sql"));
        for (String table : List.of("care_team", "care_team_member", "care_team_patient")) {
            assertThat(sql).as(table).containsPattern("CREATE TRIGGER care_relations_changed AFTER UPDATE OR DELETE"
                    + " OR TRUNCATE ON " + table + "\\s+FOR EACH STATEMENT EXECUTE FUNCTION"
                    + " meridian_care_relations_changed\\(\\)");
            assertThat(sql).as(table).containsPattern("CREATE TRIGGER care_relations_added AFTER INSERT ON " + table
                    + "\\s+FOR EACH STATEMENT EXECUTE FUNCTION meridian_care_relations_added\\(\\)");
        }
        String added = sql.substring(sql.indexOf("CREATE FUNCTION meridian_care_relations_added"));
        assertThat(added.substring(0, added.indexOf("$$;"))).doesNotContain("UPDATE")
                .contains("set_config('app.access_facts_written', 'on', true)");
        assertThat(sql).contains("UPDATE care_relation_version SET version = version + 1")
                .contains("set_config('app.access_facts_written', 'on', true)")
                .contains("SECURITY DEFINER SET search_path = public, pg_temp")
                .contains("GRANT SELECT ON care_relation_version TO ${app_role}")
                .doesNotContain("GRANT UPDATE ON care_relation_version").doesNotContain("GRANT ALL");
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(SQL)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
        }
    }

    /** The statements of a file without "--" comments, split at ";" (enough for files without dollar-quoted bodies). */
    private static List<String> statements(Path file) {
        try {
            String sql = Files.readAllLines(file).stream().map(l -> l.replaceFirst("--.*$", ""))
                    .reduce("", (a, b) -> a + "\n" + b);
            return Arrays.stream(sql.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
