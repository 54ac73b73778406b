package health.meridian.web.health;

import health.meridian.domain.search.RecordIndex;
import health.meridian.web.mirror.OutboxShipper;
import health.meridian.web.mirror.OutboxShipper.OutboxLag;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Elasticsearch (the search mirror) answers; reports to operators ({@link DetailedCheck}) the outbox lag (queue depth, oldest unshipped event age, which
 * covers both indexes: an event leaves the outbox once records and person documents are written) and the number of
 * person documents of the cohort index.
 */
@Readiness
@ApplicationScoped
public class SearchHealthCheck implements HealthCheck, DetailedCheck {

    @Inject
    RecordIndex index;
    @Inject
    OutboxShipper outbox;
    @Inject
    health.meridian.domain.search.PersonIndex persons;

    @Override
    public HealthCheckResponse call() {
        return DetailedCheck.statusOnly(detailed());
    }

    @Override
    public HealthCheckResponse detailed() {
        var builder = HealthCheckResponse.named("search").status(index.healthy());
        try {
            OutboxLag lag = outbox.lag();
            builder.withData("outboxDepth", lag.depth())
                    .withData("oldestUnshippedSeconds", String.format("%.3f", lag.oldestAgeSeconds()))
                    .withData("personDocuments", persons.persons());
        } catch (RuntimeException e) {
            builder.withData("outbox", "unknown: " + e.getMessage());
        }
        return builder.build();
    }
}
