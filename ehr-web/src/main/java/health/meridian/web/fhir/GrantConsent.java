package health.meridian.web.fhir;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.GrantScope;
import health.meridian.domain.access.SensitiveCategory;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * A patient's access grant seen as a FHIR R4 Consent (issue #5: grants are "FHIR Consent underneath"). Computed
 * from the grants table on every read, never stored: its id is {@code grant-<grant id>}, an id the record store
 * refuses, so it cannot collide with a Consent stored as an ordinary record (e.g. a research consent from
 * Synthea), and it carries {@code meta.tag urn:meridian:projection|access-grant} instead of a custodian tag (a
 * grant belongs to the person, not to an institution).
 *
 * <ul>
 *   <li>status: {@code inactive} once the patient revoked it or outside its period (not begun or ended) — R4's
 *       "terminated or replaced"; {@code rejected} would say a party declined it, which a revocation is not —
 *       else {@code active};</li>
 *   <li>scope patient-privacy, category LOINC 59284-0, policyRule v3 OPTIN; patient and performer: the person
 *       ({@code urn:meridian:person}); dateTime: when it was made;</li>
 *   <li>provision: permit, the grant's period, actor (role IRCP) the grantee practitioner
 *       ({@code urn:meridian:practitioner}) or institution ({@code urn:meridian:tenant}), purpose (v3 ActReason);
 *       scope {@code exclude-sensitive}: a nested deny provision with every sensitive category as a security label;
 *       scope {@code categories}: a nested permit with the admitted categories and a nested deny with the rest.</li>
 * </ul>
 */
public final class GrantConsent {

    public static final String ID_PREFIX = "grant-";
    public static final String TAG_SYSTEM = "urn:meridian:projection";
    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private GrantConsent() {
    }

    /** Whether {@code type/id} names a grant's Consent view (read-only; the record store refuses such ids). */
    public static boolean isGrantConsent(String type, String id) {
        return "Consent".equals(type) && id != null && id.startsWith(ID_PREFIX);
    }

    public static String grantId(String consentId) {
        return consentId.substring(ID_PREFIX.length());
    }

    public static Consent of(AccessGrant grant, Instant now) {
        Consent c = new Consent();
        c.setId(ID_PREFIX + grant.id());
        c.getMeta().addTag().setSystem(TAG_SYSTEM).setCode("access-grant")
                .setDisplay("Patient access grant (Meridian)");
        c.setStatus(status(grant, now));
        c.setScope(concept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy",
                "Privacy Consent"));
        c.addCategory(concept("http://loinc.org", "59284-0", "Patient Consent"));
        c.setPatient(person(grant.personId()));
        c.addPerformer(person(grant.personId()));
        c.setDateTime(Date.from(grant.createdAt().orElse(grant.startsAt())));
        c.setPolicyRule(concept(ACT_CODE, "OPTIN", "opt-in"));
        c.setProvision(provision(grant));
        return c;
    }

    static ConsentState status(AccessGrant grant, Instant now) {
        if (grant.revokedAt().isPresent()) {
            return ConsentState.INACTIVE;
        }
        return grant.isActiveAt(now) ? ConsentState.ACTIVE : ConsentState.INACTIVE;
    }

    private static ProvisionComponent provision(AccessGrant grant) {
        ProvisionComponent p = new ProvisionComponent().setType(ConsentProvisionType.PERMIT);
        p.setPeriod(new Period().setStart(Date.from(grant.startsAt()))
                .setEnd(grant.endsAt().map(Date::from).orElse(null)));
        p.addActor().setRole(concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP",
                "information recipient")).setReference(grantee(grant));
        p.addPurpose(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", grant.purpose(), null));
        GrantScope scope = grant.scope();
        if (GrantScope.CATEGORIES.equals(scope.kind())) {
            p.addProvision(labelled(ConsentProvisionType.PERMIT, scope.categories()));
        }
        List<String> withheld = SensitiveCategory.CODES.stream().filter(code -> !scope.admits(List.of(code)))
                .sorted().toList();
        if (!withheld.isEmpty()) {
            p.addProvision(labelled(ConsentProvisionType.DENY, Set.copyOf(withheld)));
        }
        return p;
    }

    private static ProvisionComponent labelled(ConsentProvisionType type, Set<String> codes) {
        ProvisionComponent p = new ProvisionComponent().setType(type);
        codes.stream().sorted().forEach(code -> p.addSecurityLabel(new Coding(ACT_CODE, code, null)));
        return p;
    }

    private static Reference grantee(AccessGrant grant) {
        if (grant.grantee().practitionerId().isPresent()) {
            return new Reference().setType("Practitioner").setIdentifier(new Identifier()
                    .setSystem("urn:meridian:practitioner").setValue(grant.grantee().practitionerId().get()));
        }
        return new Reference().setType("Organization").setIdentifier(new Identifier()
                .setSystem("urn:meridian:tenant").setValue(grant.grantee().institution().orElseThrow().value()));
    }

    private static Reference person(String personId) {
        return new Reference().setType("Patient").setIdentifier(new Identifier()
                .setSystem("urn:meridian:person").setValue(personId));
    }

    private static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept(new Coding(system, code, display));
    }
}
