package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.GrantScope;
import health.meridian.domain.access.Grantee;
import health.meridian.domain.access.SensitiveCategory;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.fhir.validation.ResourceValidation;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A grant's Consent view: status from revocation and period, provisions from the scope, valid R4. */
class GrantConsentTest {

    private static final FhirContext FHIR = FhirContext.forR4();
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static FhirValidator validator;

    @BeforeAll
    static void setUp() {
        validator = FHIR.newValidator().registerValidatorModule(ResourceValidation.instanceValidator(FHIR));
    }

    private static List<String> errors(Consent consent) {
        String json = FHIR.newJsonParser().encodeResourceToString(consent);
        return validator.validateWithResult(json).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(SingleValidationMessage::getMessage).toList();
    }

    @Test
    void anActiveGrantToAPractitionerWithoutSensitiveCategoriesIsAValidConsentWithADenyProvision() {
        AccessGrant g = AccessGrant.grant("person-anna", Grantee.practitioner("prac-de-mueller"),
                new GrantScope(GrantScope.EXCLUDE_SENSITIVE, Set.of()), "TREAT", NOW.minusSeconds(3600), null);
        Consent c = GrantConsent.of(g, NOW);
        assertThat(errors(c)).isEmpty();
        assertThat(c.getIdElement().getIdPart()).isEqualTo("grant-" + g.id());
        assertThat(c.getStatus()).isEqualTo(ConsentState.ACTIVE);
        assertThat(c.getScope().getCodingFirstRep().getCode()).isEqualTo("patient-privacy");
        assertThat(c.getPatient().getIdentifier().getValue()).isEqualTo("person-anna");
        assertThat(c.getProvision().getType()).isEqualTo(ConsentProvisionType.PERMIT);
        assertThat(c.getProvision().getActorFirstRep().getReference().getIdentifier().getValue())
                .isEqualTo("prac-de-mueller");
        assertThat(c.getProvision().getPurposeFirstRep().getCode()).isEqualTo("TREAT");
        assertThat(c.getProvision().getPeriod().getEnd()).isNull();
        assertThat(c.getProvision().getProvision()).singleElement().satisfies(deny -> {
            assertThat(deny.getType()).isEqualTo(ConsentProvisionType.DENY);
            assertThat(deny.getSecurityLabel()).extracting(Coding::getCode)
                    .containsExactlyInAnyOrderElementsOf(SensitiveCategory.CODES);
        });
        assertThat(c.getMeta().getTag()).extracting(Coding::getSystem).containsExactly(GrantConsent.TAG_SYSTEM);
    }

    @Test
    void anEndedGrantOfCategoriesToAnInstitutionIsInactiveAndNamesWhatItAdmitsAndWithholds() {
        AccessGrant g = AccessGrant.grant("person-anna", Grantee.institution(TenantId.of("de-spree")),
                new GrantScope(GrantScope.CATEGORIES, Set.of("PSY")), "TREAT", NOW.minusSeconds(7200),
                NOW.minusSeconds(3600));
        Consent c = GrantConsent.of(g, NOW);
        assertThat(errors(c)).isEmpty();
        assertThat(c.getStatus()).isEqualTo(ConsentState.INACTIVE);
        assertThat(c.getProvision().getActorFirstRep().getReference().getType()).isEqualTo("Organization");
        assertThat(c.getProvision().getPeriod().getEnd()).isNotNull();
        assertThat(c.getProvision().getProvision()).hasSize(2);
        assertThat(c.getProvision().getProvision().get(0).getType()).isEqualTo(ConsentProvisionType.PERMIT);
        assertThat(c.getProvision().getProvision().get(0).getSecurityLabel()).extracting(Coding::getCode)
                .containsExactly("PSY");
        assertThat(c.getProvision().getProvision().get(1).getSecurityLabel()).extracting(Coding::getCode)
                .doesNotContain("PSY").hasSize(SensitiveCategory.CODES.size() - 1);
    }

    @Test
    void aRevokedGrantIsInactiveAndAGrantOfEverythingHasNoNestedProvision() {
        AccessGrant g = AccessGrant.grant("person-anna", Grantee.practitioner("prac-nl-jansen"),
                new GrantScope(GrantScope.ALL, Set.of()), "TREAT", NOW.minusSeconds(60), null);
        assertThat(GrantConsent.of(g, NOW).getProvision().getProvision()).isEmpty();
        g.revoke(NOW);
        Consent c = GrantConsent.of(g, NOW.plusSeconds(1));
        assertThat(errors(c)).isEmpty();
        assertThat(c.getStatus()).isEqualTo(ConsentState.INACTIVE);
    }

    @Test
    void onlyGrantIdsAreGrantConsents() {
        assertThat(GrantConsent.isGrantConsent("Consent", "grant-123")).isTrue();
        assertThat(GrantConsent.isGrantConsent("Consent", "8a3f2d7e")).isFalse();
        assertThat(GrantConsent.isGrantConsent("Observation", "grant-123")).isFalse();
    }
}
