package health.meridian.web.admin;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.tenant.Institution;
import health.meridian.web.mirror.IndexRebuilder;
import health.meridian.web.mirror.MirrorReconciler;
import health.meridian.web.record.TenantService;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AccessSeam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * The platform admin's operations (the JAX-RS resources admit platform admins only), each audited like every other
 * administrator action (issue #18): registering an institution (in the registration's transaction), rebuilding
 * the search index, and the database-vs-index verification with or without repair. The long mirror operations are
 * audited when they start (so a crash mid-way still leaves the trace) and again with their outcome or failure.
 */
@ApplicationScoped
public class PlatformOperations {

    @Inject
    TenantService tenants;
    @Inject
    IndexRebuilder rebuilder;
    @Inject
    MirrorReconciler reconciler;
    @Inject
    AccessSeam seam;
    @Inject
    AccessPolicy policy;

    /** A mirror operation that may find the index unreachable. */
    @FunctionalInterface
    interface MirrorOperation<T> {
        T run() throws IndexUnavailableException;
    }

    /** Registers the institution (idempotent); returns true if it was new. */
    @Transactional
    public boolean registerInstitution(Institution institution) {
        AccessSeam.Acting acting = operating(AuditAction.E, "tenant-register", "Organization",
                institution.id().value());
        boolean created = tenants.register(institution);
        acting.done(e -> new AuditRecord(e.actor(), institution.id().value(), null, null,
                created ? AuditAction.C : AuditAction.E, e.interaction(), e.resourceType(), e.resourceId(), null,
                e.outcome(), null, created ? "registered " + institution.name() + " (" + institution.country() + ", "
                        + institution.region() + ")" : "already registered: unchanged"));
        return created;
    }

    public IndexRebuilder.Report reindex() throws IndexUnavailableException {
        return audited("mirror-reindex", null, rebuilder::rebuild);
    }

    public MirrorReconciler.Report verifyIndex(boolean repair) throws IndexUnavailableException {
        return audited(repair ? "mirror-repair" : "mirror-verify", "repair=" + repair,
                () -> reconciler.verify(repair));
    }

    private <T> T audited(String interaction, String query, MirrorOperation<T> operation)
            throws IndexUnavailableException {
        AccessSeam.Acting acting = operating(AuditAction.E, interaction, null, null);
        acting.done(e -> e.withQuery(query).withDetail("started"));
        try {
            T outcome = operation.run();
            acting.done(e -> e.withQuery(query).withDetail("done: " + outcome));
            return outcome;
        } catch (IndexUnavailableException | RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            acting.refused(new IllegalStateException(why.startsWith("EHR-") ? why
                    : "EHR-0520 search index unreachable: " + why), r -> r.withQuery(query));
            throw e;
        }
    }

    /** A platform operation, through the seam ({@link AccessPolicy#requirePlatformOperator}). */
    private AccessSeam.Acting operating(AuditAction action, String interaction, String type, String id) {
        return seam.acting(action, interaction, type, id, caller -> {
            policy.requirePlatformOperator(caller);
            return AccessSeam.Bound.none();
        });
    }
}
