package health.meridian.web.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** PostgreSQL (the system of record) answers, and the schema migrations have been applied. */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck, DetailedCheck {

    @Resource(lookup = "java:app/jdbc/meridian")
    DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        return DetailedCheck.statusOnly(detailed());
    }

    @Override
    public HealthCheckResponse detailed() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            try (ResultSet rs = s.executeQuery("SELECT max(version) FROM flyway_schema_history WHERE success")) {
                rs.next();
                return HealthCheckResponse.named("database").up().withData("schema", rs.getString(1)).build();
            }
        } catch (Exception e) {
            return HealthCheckResponse.named("database").down().withData("error", e.getMessage()).build();
        }
    }
}
