package health.meridian.web.security;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditActor;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.audit.AuditTrail;
import health.meridian.domain.tenant.TenantId;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Writes audit events. {@link #accessed} joins the transaction of the access it describes (reads too), so a crash
 * loses both or neither. {@link #refused} is for refusals that throw: it writes in its own transaction
 * (REQUIRES_NEW) so the event survives the rollback of the refused one — always, now that appends share no lock
 * (ADR 0019; before, a transaction holding the chain lock had to write its refusal itself and lost it on rollback).
 */
@ApplicationScoped
public class AuditRecorder {

    @Inject
    AuditTrail trail;
    @Inject
    AuditRecorder self;
    @Resource
    TransactionSynchronizationRegistry transactions;

    public static AuditRecord event(Caller caller, AuditAction action, String interaction, String type, String id) {
        return AuditRecord.of(actor(caller), action, interaction, type, id);
    }

    public static AuditActor actor(Caller caller) {
        return new AuditActor(caller.subject(), caller.username(), caller.roles(),
                caller.tenant().map(TenantId::value).orElse(null),
                caller.app().map(Caller.App::clientId).orElse(null), caller.app().map(Caller.App::name).orElse(null));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void accessed(AuditRecord record) {
        trail.append(record);
    }

    /**
     * A read of {@code type/id} that found nothing the caller may see (answered like a record that does not exist),
     * in the read's transaction: the audit row names the person whose record it was, if one is held anywhere, so the
     * attempt appears in that patient's access log; the caller learns nothing of it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void refusedRead(AuditRecord refused, String type, String id) {
        trail.appendRefusal(refused, type, id);
    }

    /**
     * A response that carried records: one event per custodian and person disclosed ({@link Disclosure#distinct}),
     * each naming how many of the response's records it covers; if nothing was disclosed, the one event as
     * described (e.g. a timeline page without entries is still about its patient).
     * Joins the current transaction, or runs in one of its own (searches of the mirror run outside one).
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public void disclosed(AuditRecord event, java.util.Collection<Disclosure> disclosed) {
        java.util.List<Disclosure> each = Disclosure.distinct(disclosed);
        if (each.isEmpty()) {
            accessed(event.withDetail(detail(event, 0, 0)));
            return;
        }
        java.util.List<AuditRecord> events = new java.util.ArrayList<>();
        for (Disclosure d : each) {
            long count = disclosed.stream().filter(x -> x.custodian().equals(d.custodian())
                    && java.util.Objects.equals(x.personId(), d.personId())).count();
            events.add(event.about(d.custodian(), d.personId(), d.patientRef())
                    .withDetail(detail(event, count, disclosed.size())));
        }
        trail.appendAll(events);
    }

    private static String detail(AuditRecord event, long count, int total) {
        String of = count + " of " + total + " resource(s)";
        return event.detail() == null ? of : event.detail() + ": " + of;
    }

    /** Records a refusal so that it outlives the refused transaction. */
    public void refused(AuditRecord record) {
        self.appendAlone(record);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void appendAlone(AuditRecord record) {
        trail.append(record);
    }

    /** For callers outside a transaction (e.g. searches of the mirror): one short transaction of its own. */
    @Transactional(Transactional.TxType.REQUIRED)
    public void recordAlone(AuditRecord record) {
        accessed(record);
    }
}
