package health.meridian.web.portal;

import health.meridian.domain.access.OutsideRecordsHints;
import health.meridian.domain.audit.AuditAction;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AccessSeam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * The patient's own setting "let clinicians who treat me know that other institutions hold records about me"
 * (issue #20, ADR 0033): off unless switched on; read and changed by the patient only, each through the seam and
 * audited (interaction {@code outside-records-consent}, purpose PATADMIN, as grants are).
 */
@ApplicationScoped
@Transactional
public class OutsideRecordsConsentService {

    @Inject
    AccessSeam seam;
    @Inject
    AccessPolicy policy;
    @Inject
    OutsideRecordsHints hints;

    /** The patient's current choice. */
    public boolean current() {
        AccessSeam.Acting acting = patient(AuditAction.R);
        boolean on = hints.enabled(acting.person());
        acting.done(e -> e.about(null, acting.person(), null).withPurpose("PATADMIN"));
        return on;
    }

    /** The patient switches the hint on or off; the choice as stored. */
    public boolean choose(boolean enabled) {
        AccessSeam.Acting acting = patient(AuditAction.U);
        hints.choose(acting.person(), enabled);
        acting.done(e -> e.about(null, acting.person(), null).withPurpose("PATADMIN")
                .withDetail("outside-records hint switched " + (enabled ? "on" : "off")));
        return hints.enabled(acting.person());
    }

    private AccessSeam.Acting patient(AuditAction action) {
        return seam.acting(action, "outside-records-consent", "Consent", null,
                caller -> AccessSeam.Bound.person(policy.requirePatient(caller)));
    }
}
