package health.meridian.domain.audit;

import java.util.Objects;

/**
 * One access to describe in the audit trail (IHE BALP shape): who, for which institution, at which custodian,
 * about which patient, what (action, interaction, resource, query), the outcome and the purpose of use.
 * Built with {@link #of}, then refined with the {@code with*} methods; immutable.
 */
public record AuditRecord(AuditActor actor, String custodian, String personId, String patientRef,
                          AuditAction action, String interaction, String resourceType, String resourceId,
                          String query, AuditOutcome outcome, String purpose, String detail) {

    public AuditRecord {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        if (interaction == null || interaction.isBlank()) {
            throw new IllegalArgumentException("EHR-0705 an audit event names the interaction");
        }
    }

    public static AuditRecord of(AuditActor actor, AuditAction action, String interaction, String type, String id) {
        return new AuditRecord(actor, null, null, null, action, interaction, type, id, null, AuditOutcome.SUCCESS,
                null, null);
    }

    public AuditRecord about(String custodianTenant, String person, String patient) {
        return new AuditRecord(actor, custodianTenant, person, patient, action, interaction, resourceType,
                resourceId, query, outcome, purpose, detail);
    }

    /** The same event about another resource type and id (a search learns its types when it runs). */
    public AuditRecord withResource(String type, String id) {
        return new AuditRecord(actor, custodian, personId, patientRef, action, interaction, type, id, query, outcome,
                purpose, detail);
    }

    public AuditRecord withQuery(String text) {
        return new AuditRecord(actor, custodian, personId, patientRef, action, interaction, resourceType,
                resourceId, text, outcome, purpose, detail);
    }

    public AuditRecord withPurpose(String purposeOfUse) {
        return new AuditRecord(actor, custodian, personId, patientRef, action, interaction, resourceType,
                resourceId, query, outcome, purposeOfUse, detail);
    }

    /** The access was refused or found nothing the caller may see; {@code why} starts with its EHR code. */
    public AuditRecord refused(String why) {
        return new AuditRecord(actor, custodian, personId, patientRef, action, interaction, resourceType,
                resourceId, query, AuditOutcome.MINOR_FAILURE, purpose, why);
    }

    public AuditRecord withDetail(String text) {
        return new AuditRecord(actor, custodian, personId, patientRef, action, interaction, resourceType,
                resourceId, query, outcome, purpose, text);
    }
}
