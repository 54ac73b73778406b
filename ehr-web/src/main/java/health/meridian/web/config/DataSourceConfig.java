package health.meridian.web.config;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The application's connection pool. Connects as the non-owner application role, so PostgreSQL row-level security
 * applies to every statement. Values come from the environment (Payara resolves {@code ${ENV=...}}).
 */
@ApplicationScoped
@DataSourceDefinition(
        name = "java:app/jdbc/meridian",
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "${ENV=MERIDIAN_DB_URL}",
        user = "${ENV=MERIDIAN_DB_USER}",
        password = "${ENV=MERIDIAN_DB_PASSWORD}",
        minPoolSize = 2,
        maxPoolSize = 24,
        properties = {"stringType=unspecified", "reWriteBatchedInserts=true", "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=auto-commit"})
public class DataSourceConfig {
}
