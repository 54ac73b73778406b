package health.meridian.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditActor;
import health.meridian.domain.audit.AuditEntry;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessLogRowTest {

    private static final Map<String, Institution> INSTITUTIONS = Map.of("de-spree",
            new Institution(TenantId.of("de-spree"), "Spree Klinikum", "DE", "eu-central"));

    private static AuditEntry entry(AuditRecord r) {
        return new AuditEntry(7, Instant.parse("2026-11-30T10:00:00Z"), r, "0".repeat(64));
    }

    private static AuditRecord by(String interaction, AuditAction action, String type) {
        return AuditRecord.of(new AuditActor("sub-m", "dr.mueller", Set.of("clinician"), "de-spree"), action,
                interaction, type, "x").about("nl-amstel", "anna", "Patient/p1");
    }

    /** ADR 0031: the app an access went through is named; a backend service is shown by the app's name. */
    @Test
    void theAppIsNamedBesideTheUserAndABackendServiceByItsName() {
        AuditRecord viaApp = AuditRecord.of(new AuditActor("sub-m", "dr.mueller", Set.of("clinician"), "de-spree",
                "growth-charts", "Growth Charts"), AuditAction.R, "read", "Observation", "x")
                .about("nl-amstel", "anna", "Patient/p1").withPurpose("TREAT");
        AccessLogRow row = AccessLogRow.of(entry(viaApp), INSTITUTIONS, null, "Katrin Müller");
        assertThat(row.who()).isEqualTo("Katrin Müller");
        assertThat(row.app()).isEqualTo("Growth Charts");
        AuditRecord backend = AuditRecord.of(new AuditActor("sub-sa", "service-account-registry",
                Set.of("backend-service"), "de-spree", "registry", "Spree cancer registry"), AuditAction.R, "read",
                "Condition", "x").about("de-spree", "anna", "Patient/p1").withPurpose("HOPERAT");
        AccessLogRow pulled = AccessLogRow.of(entry(backend), INSTITUTIONS, null);
        assertThat(pulled.who()).isEqualTo("Spree cancer registry");
        assertThat(pulled.app()).isEqualTo("Spree cancer registry");
        assertThat(AccessLogRow.of(entry(by("read", AuditAction.R, "Observation")), INSTITUTIONS, null).app())
                .isNull();
    }

    @Test
    void aGrantedReadIsDescribedInPlainLanguage() {
        AccessLogRow row = AccessLogRow.of(entry(by("read", AuditAction.R, "Observation").withPurpose("TREAT")),
                INSTITUTIONS, null);
        assertThat(row.who()).isEqualTo("dr.mueller");
        assertThat(row.role()).isEqualTo("clinician");
        assertThat(row.institutionName()).isEqualTo("Spree Klinikum");
        assertThat(row.countryName()).isEqualTo("Germany");
        assertThat(row.what()).isEqualTo("Viewed your observation (measurement or result)");
        assertThat(row.purpose()).isEqualTo("Treatment");
        assertThat(row.kind()).isEqualTo("read");
        assertThat(row.refused()).isFalse();
    }

    @Test
    void whoIsThePersonsNameWhenKnownTheUsernameKept() {
        AccessLogRow row = AccessLogRow.of(entry(by("read", AuditAction.R, "Observation").withPurpose("TREAT")),
                INSTITUTIONS, null, "Katrin Müller");
        assertThat(row.who()).isEqualTo("Katrin Müller");
        assertThat(row.username()).isEqualTo("dr.mueller");
        assertThat(AccessLogRow.of(entry(by("admin-names", AuditAction.R, "Patient").withPurpose("HOPERAT")),
                INSTITUTIONS, null, "Eva de Boer").what()).startsWith("Saw your name in an administration screen");
    }

    @Test
    void timelineViewsAndBundlesAreDescribedInPlainLanguage() {
        assertThat(AccessLogRow.of(entry(by("timeline", AuditAction.R, "Encounter,Observation")
                .withPurpose("TREAT")), INSTITUTIONS, null).what()).isEqualTo("Viewed your timeline");
        assertThat(AccessLogRow.of(entry(by("transaction", AuditAction.C, "Bundle").withPurpose("TREAT")),
                INSTITUTIONS, null).what()).isEqualTo("Added entries to your record");
    }

    @Test
    void breakGlassCarriesItsReasonAndRefusalsSayTried() {
        AccessLogRow glass = AccessLogRow.of(entry(by("read", AuditAction.R, "Condition").withPurpose("ETREAT")),
                INSTITUTIONS, "unconscious at the emergency desk");
        assertThat(glass.kind()).isEqualTo("break-glass");
        assertThat(glass.purpose()).isEqualTo("Emergency treatment (break-the-glass)");
        assertThat(glass.reason()).isEqualTo("unconscious at the emergency desk");
        AccessLogRow refused = AccessLogRow.of(entry(by("read", AuditAction.R, "Observation").refused("EHR-0314 no")),
                INSTITUTIONS, "ignored");
        assertThat(refused.what()).startsWith("Tried: ").endsWith("(refused)");
        assertThat(refused.reason()).isNull();
        assertThat(AccessLogRow.of(entry(by("share-code-redeem", AuditAction.E, "Patient")), INSTITUTIONS, null)
                .kind()).isEqualTo("share-code");
    }
}
