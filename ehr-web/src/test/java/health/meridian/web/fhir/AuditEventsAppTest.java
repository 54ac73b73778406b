package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditActor;
import health.meridian.domain.audit.AuditEntry;
import health.meridian.domain.audit.AuditRecord;
import java.time.Instant;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

/** ADR 0031: an access through a registered app carries the app as a second agent of the FHIR AuditEvent. */
class AuditEventsAppTest {

    private static AuditEvent of(AuditActor actor) {
        AuditRecord r = AuditRecord.of(actor, AuditAction.R, "read", "Observation", "o1")
                .about("nl-amstel", "anna", "Patient/p1");
        return AuditEvents.toFhir(new AuditEntry(9, Instant.parse("2026-12-06T10:00:00Z"), r, null));
    }

    @Test
    void theAppIsASecondAgentOfTypeApplication() {
        AuditEvent e = of(new AuditActor("sub", "dr.jansen", Set.of("clinician"), "nl-amstel", "growth-charts",
                "Growth Charts"));
        assertThat(e.getAgent()).hasSize(2);
        assertThat(e.getAgent().get(0).getRequestor()).isTrue();
        assertThat(e.getAgent().get(0).getWho().getDisplay()).isEqualTo("dr.jansen");
        AuditEvent.AuditEventAgentComponent app = e.getAgent().get(1);
        assertThat(app.getRequestor()).isFalse();
        assertThat(app.getType().getCodingFirstRep().getCode()).isEqualTo("110150");
        assertThat(app.getWho().getIdentifier().getValue()).isEqualTo("growth-charts");
        assertThat(app.getWho().getDisplay()).isEqualTo("Growth Charts");
    }

    @Test
    void meridiansOwnClientsAddNoAgent() {
        assertThat(of(new AuditActor("sub", "dr.jansen", Set.of("clinician"), "nl-amstel")).getAgent()).hasSize(1);
    }
}
