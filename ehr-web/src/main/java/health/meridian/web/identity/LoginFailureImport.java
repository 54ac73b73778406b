package health.meridian.web.identity;

import health.meridian.domain.audit.LoginFailure;
import health.meridian.domain.audit.LoginFailureLedger;
import health.meridian.web.security.AuditRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;

/**
 * Appends one failed login to the audit trail, once: the ledger row and the audit row commit together, and an event
 * already in the ledger (an earlier poll, a restart, another app instance) is skipped.
 */
@ApplicationScoped
public class LoginFailureImport {

    @Inject
    LoginFailureLedger ledger;
    @Inject
    AuditRecorder audit;

    /** Where to resume: the newest imported event's time (inclusive: the ledger drops what was already taken). */
    @Transactional
    public Optional<Instant> resumeFrom() {
        return ledger.latest();
    }

    /** True if the failure was appended now, false if it had been imported before. */
    @Transactional
    public boolean importOnce(LoginFailure failure) {
        if (!ledger.claim(failure.eventKey(), failure.time())) {
            return false;
        }
        audit.accessed(failure.auditRecord());
        return true;
    }
}
