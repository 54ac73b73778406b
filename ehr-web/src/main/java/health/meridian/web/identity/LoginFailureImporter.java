package health.meridian.web.identity;

import health.meridian.domain.audit.LoginFailure;
import health.meridian.domain.audit.LoginFailureSource;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Polls the identity provider for failed logins (every {@code meridian.identity-events.poll-ms}, default 5 s) and
 * imports each into the audit trail once ({@link LoginFailureImport}). A system task acting for no tenant. Without a
 * configured secret ({@code MERIDIAN_IDENTITY_EVENTS_SECRET}) it logs that login failures are not imported and stops.
 */
@Singleton
@Startup
public class LoginFailureImporter {

    private static final Logger LOG = Logger.getLogger(LoginFailureImporter.class.getName());
    static final int PAGE = 100;
    private static final int MAX_PAGES_PER_POLL = 20;

    @Resource
    ManagedScheduledExecutorService scheduler;
    @Inject
    LoginFailureSource source;
    @Inject
    LoginFailureImport imports;
    @Inject
    @ConfigProperty(name = "meridian.identity-events.poll-ms", defaultValue = "5000")
    long pollMillis;

    private ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        if (!source.configured()) {
            LOG.warning("EHR-0713 login failures are not imported into the audit trail:"
                    + " MERIDIAN_IDENTITY_EVENTS_SECRET is not set");
            return;
        }
        task = scheduler.scheduleWithFixedDelay(this::poll, 2000, pollMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void poll() {
        try {
            Instant from = imports.resumeFrom().orElse(null);
            int imported = 0;
            for (int page = 0; page < MAX_PAGES_PER_POLL; page++) {
                List<LoginFailure> failures = source.since(from, page * PAGE, PAGE);
                for (LoginFailure f : failures) {
                    imported += imports.importOnce(f) ? 1 : 0;
                }
                if (failures.size() < PAGE) {
                    break;
                }
            }
            if (imported > 0) {
                LOG.log(Level.INFO, "imported {0} login failure(s) into the audit trail", imported);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "login failure import: {0}", e.toString());
        }
    }
}
