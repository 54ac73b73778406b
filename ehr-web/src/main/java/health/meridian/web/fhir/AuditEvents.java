package health.meridian.web.fhir;

import health.meridian.domain.audit.AuditEntry;
import health.meridian.domain.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/** Translates a stored audit entry into a FHIR R4 AuditEvent in the IHE BALP shape. */
final class AuditEvents {

    private static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private static final String INTERACTION = "http://hl7.org/fhir/restful-interaction";
    /** BALP: a (failed) login is DICOM 110114 User Authentication / 110122 Login. */
    private static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String PURPOSE = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    private static final String ROLES = "urn:meridian:role";
    private static final String TENANT = "urn:meridian:tenant";

    private AuditEvents() {
    }

    static AuditEvent toFhir(AuditEntry entry) {
        AuditRecord r = entry.record();
        AuditEvent e = new AuditEvent();
        e.setId(Long.toString(entry.seq()));
        if ("login".equals(r.interaction())) {
            e.setType(new Coding(DICOM, "110114", "User Authentication"));
            e.addSubtype(new Coding(DICOM, "110122", "Login"));
        } else {
            e.setType(new Coding(EVENT_TYPE, "rest", "RESTful Operation"));
            e.addSubtype(new Coding(INTERACTION, r.interaction(), null));
        }
        e.setAction(AuditEvent.AuditEventAction.fromCode(r.action().name()));
        e.setRecorded(Date.from(entry.recordedAt()));
        e.setOutcome(AuditEvent.AuditEventOutcome.fromCode(r.outcome().code()));
        e.setOutcomeDesc(r.detail());
        if (r.purpose() != null) {
            e.addPurposeOfEvent(new CodeableConcept(new Coding(PURPOSE, r.purpose(), null)));
        }
        e.addAgent(agent(r));
        if (r.actor().appClientId() != null) {
            e.addAgent(app(r));
        }
        e.getSource().setObserver(new Reference().setDisplay("Meridian EHR"))
                .setSite(r.custodian() != null ? r.custodian() : r.actor().tenant());
        entity(e, r);
        if (entry.hash() != null) { // legacy chain entries (before the V15 ledger) carry their chain hash
            e.getMeta().addTag("urn:meridian:audit-hash", entry.hash(), "chain hash");
        }
        return e;
    }

    private static AuditEventAgentComponent agent(AuditRecord r) {
        AuditEventAgentComponent agent = new AuditEventAgentComponent().setRequestor(true);
        agent.setWho(new Reference().setIdentifier(new Identifier().setSystem("urn:meridian:subject")
                .setValue(r.actor().subject())).setDisplay(r.actor().username()));
        r.actor().roles().forEach(role -> agent.addRole(new CodeableConcept(new Coding(ROLES, role, null))));
        if (r.actor().tenant() != null) {
            agent.addPolicy(TENANT + ":" + r.actor().tenant());
        }
        return agent;
    }

    /**
     * The registered SMART app the access was made through (ADR 0031): a second agent, of type "application" (DICOM
     * 110150), named by its OAuth client id and shown by its name; not the requestor (the user, or for a backend
     * service its service account, is).
     */
    private static AuditEventAgentComponent app(AuditRecord r) {
        AuditEventAgentComponent agent = new AuditEventAgentComponent().setRequestor(false);
        agent.setType(new CodeableConcept(new Coding(DICOM, "110150",
                "Application")));
        agent.setWho(new Reference().setIdentifier(new Identifier().setSystem("urn:meridian:smart-app")
                .setValue(r.actor().appClientId())).setDisplay(r.actor().appName()));
        return agent;
    }

    private static void entity(AuditEvent e, AuditRecord r) {
        if (r.patientRef() != null) {
            e.addEntity().setWhat(new Reference(r.patientRef()))
                    .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
        }
        if (r.resourceType() != null) {
            AuditEventEntityComponent what = e.addEntity().setWhat(new Reference(
                    r.resourceId() == null ? r.resourceType() : r.resourceType() + "/" + r.resourceId()));
            if (r.query() != null) {
                what.setQuery(r.query().getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
