package health.meridian.web.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The readiness checks with their figures, for operators (platform admins, {@code GET /api/admin/health}): the same
 * checks as {@code /health/ready}, which publishes their status only. The shape follows MicroProfile Health's JSON
 * ({@code status}, {@code checks[].name/status/data}).
 */
@ApplicationScoped
public class OperatorHealth {

    @Inject
    @Any
    Instance<DetailedCheck> checks;

    public record Check(String name, String status, Map<String, Object> data) {
    }

    public record Report(String status, List<Check> checks) {
    }

    public Report report() {
        List<Check> all = StreamSupport.stream(checks.spliterator(), false).map(DetailedCheck::detailed)
                .map(OperatorHealth::check).sorted(Comparator.comparing(Check::name)).toList();
        boolean up = all.stream().allMatch(c -> "UP".equals(c.status()));
        return new Report(up ? "UP" : "DOWN", all);
    }

    private static Check check(HealthCheckResponse r) {
        return new Check(r.getName(), r.getStatus().name(), r.getData().orElse(Map.of()));
    }
}
