package health.meridian.web.security;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.AccessGrantRepository;
import health.meridian.domain.access.GrantScope;
import health.meridian.domain.access.Grantee;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.tenant.InstitutionRepository;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * A patient's access grants: create, list, revoke (at once). Only the patient (token person_id) manages their own
 * grants; every change is audited (action E) in the same transaction, refusals in their own.
 */
@ApplicationScoped
@Transactional
public class GrantService {

    @Inject
    AccessGrantRepository grants;
    @Inject
    health.meridian.infrastructure.persistence.PersonRegistry persons;
    @Inject
    InstitutionRepository institutions;
    @Inject
    AccessSeam seam;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller currentCaller;
    @Inject
    health.meridian.domain.access.RecordLocator locator;
    @Inject
    health.meridian.domain.access.PractitionerDirectory directory;

    /** What a patient asks for; {@code start} null means now, {@code end} null means until revoked. */
    public record GrantRequest(String practitioner, String institution, String scope, Set<String> categories,
                               String purpose, Instant start, Instant end, boolean confirmCrossBorder) {

        public GrantRequest(String practitioner, String institution, String scope, Set<String> categories,
                            String purpose, Instant start, Instant end) {
            this(practitioner, institution, scope, categories, purpose, start, end, false);
        }
    }

    /** A grant as the patient sees it: its grantee's country and whether it crosses a border from their record. */
    public record Listed(AccessGrant grant, String granteeName, String granteeCountry, boolean crossBorder,
                         String granteeInstitutionName) {
    }

    /** Someone a patient can grant access to: an institution or a practitioner (with their institution). */
    public record GranteeOption(String kind, String id, String name, String institution, String institutionName,
                                String country, boolean crossBorder) {
    }

    public AccessGrant create(GrantRequest request) {
        AccessSeam.Acting acting = patient(AuditAction.E, "grant-create");
        String person = acting.person();
        Grantee grantee = granteeOf(request);
        AccessGrant grant = AccessGrant.grant(person, grantee,
                new GrantScope(request.scope() == null ? GrantScope.EXCLUDE_SENSITIVE : request.scope(),
                        request.categories()),
                request.purpose() == null ? "TREAT" : request.purpose(),
                request.start() == null ? Instant.now() : request.start(), request.end());
        requireConfirmedIfCrossBorder(grantee, request.confirmCrossBorder());
        persons.ensure(person); // a patient may consent before any institution holds a record about them
        grants.add(grant);
        acting.done(e -> describe(e, grant));
        return grant;
    }

    public List<AccessGrant> mine() {
        AccessSeam.Acting acting = patient(AuditAction.R, "grant-list");
        List<AccessGrant> mine = grants.ofPerson(acting.person());
        acting.done(e -> e.about(null, acting.person(), null).withPurpose("PATADMIN")
                .withDetail(mine.size() + " grants"));
        return mine;
    }

    /** The patient's grants with their grantees' countries and cross-border flags. */
    public List<Listed> mineListed() {
        List<AccessGrant> all = mine();
        Home home = home();
        return all.stream().map(g -> {
            Optional<GranteeOption> o = option(g.grantee(), home);
            return new Listed(g, o.map(GranteeOption::name).orElse(null), o.map(GranteeOption::country).orElse(null),
                    o.map(GranteeOption::crossBorder).orElse(false),
                    o.map(GranteeOption::institutionName).orElse(null));
        }).toList();
    }

    /**
     * Changing a grant replaces it: the old one is revoked and the new one starts, in one transaction. What the
     * request leaves out (grantee, scope, purpose) is kept from the old grant.
     */
    public AccessGrant change(String id, GrantRequest request) {
        AccessGrant previous = revoke(id);
        GrantRequest same = new GrantRequest(
                blankToNull(request.practitioner()) == null && blankToNull(request.institution()) == null
                        ? previous.grantee().practitionerId().orElse(null) : request.practitioner(),
                blankToNull(request.practitioner()) == null && blankToNull(request.institution()) == null
                        ? previous.grantee().institution().map(TenantId::value).orElse(null) : request.institution(),
                request.scope() == null ? previous.scope().kind() : request.scope(),
                request.scope() == null ? previous.scope().categories() : request.categories(),
                request.purpose() == null ? previous.purpose() : request.purpose(), request.start(), request.end(),
                request.confirmCrossBorder());
        return create(same);
    }

    /** Institutions and practitioners matching {@code text}, across institutions and countries. */
    public List<GranteeOption> grantees(String text) {
        patient(AuditAction.R, "grantee-search").done(e -> e.withPurpose("PATADMIN"));
        Home home = home();
        String q = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        List<GranteeOption> out = new java.util.ArrayList<>();
        Set<String> matchingInstitutions = new java.util.LinkedHashSet<>();
        for (health.meridian.domain.tenant.Institution i : institutions.all()) {
            GranteeOption o = institutionOption(i, home);
            if (q.isEmpty() || (o.id() + " " + o.name() + " " + o.country() + " "
                    + countryName(o.country())).toLowerCase(java.util.Locale.ROOT).contains(q)) {
                out.add(o);
                matchingInstitutions.add(i.id().value());
            }
        }
        // Practitioners by their name, and (issue #20) those working at a matching institution or country.
        java.util.Map<String, GranteeOption> practitioners = new java.util.LinkedHashMap<>();
        directory.search(q, 50).forEach(e -> practitioners.put(e.practitionerId(), practitionerOption(e, home)));
        if (!q.isEmpty()) {
            for (String tenant : matchingInstitutions) {
                directory.search(tenant, 50).stream().filter(e -> tenant.equals(e.tenant()))
                        .forEach(e -> practitioners.putIfAbsent(e.practitionerId(), practitionerOption(e, home)));
            }
        }
        out.addAll(practitioners.values());
        return out;
    }

    /**
     * Where the patient's record is at home: the country of their own institution (from their token), and the
     * countries of every institution holding a record of them.
     */
    record Home(String country, Set<String> holding) {

        /**
         * A grantee is across a border when they work in another country than the patient's own institution (issue
         * #20: her own Dutch doctor is not cross-border because a German hospital also holds some of her data);
         * without a home institution, when no institution holding the record is in the grantee's country.
         */
        boolean crossedBy(String granteeCountry) {
            if (granteeCountry == null) {
                return false;
            }
            return country != null ? !country.equals(granteeCountry)
                    : !holding.isEmpty() && !holding.contains(granteeCountry);
        }
    }

    private void requireConfirmedIfCrossBorder(Grantee grantee, boolean confirmed) {
        Optional<GranteeOption> o = option(grantee, home());
        if (o.isPresent() && o.get().crossBorder() && !confirmed) {
            throw new IllegalStateException("EHR-0754 " + (o.get().name() == null ? o.get().id() : o.get().name())
                    + " is in " + countryName(o.get().country()) + ", another country than where your record is"
                    + " held: confirm the cross-border grant (confirmCrossBorder)");
        }
    }

    private Optional<GranteeOption> option(Grantee grantee, Home home) {
        if (grantee.institution().isPresent()) {
            return institutions.find(grantee.institution().get()).map(i -> institutionOption(i, home));
        }
        return directory.find(grantee.practitionerId().orElseThrow()).map(e -> practitionerOption(e, home));
    }

    private GranteeOption institutionOption(health.meridian.domain.tenant.Institution i, Home home) {
        return new GranteeOption("institution", i.id().value(), i.name(), i.id().value(), i.name(), i.country(),
                home.crossedBy(i.country()));
    }

    private GranteeOption practitionerOption(health.meridian.domain.access.PractitionerDirectory.Entry e,
                                             Home home) {
        Optional<health.meridian.domain.tenant.Institution> at = institutions.find(TenantId.of(e.tenant()));
        String country = at.map(health.meridian.domain.tenant.Institution::country).orElse(null);
        return new GranteeOption("practitioner", e.practitionerId(), e.displayName() + " (" + e.role() + ")",
                e.tenant(), at.map(health.meridian.domain.tenant.Institution::name).orElse(e.tenant()), country,
                home.crossedBy(country));
    }

    /** The calling patient's own country (their institution's) and the countries of those holding their record. */
    private Home home() {
        Caller caller = currentCaller.get();
        String person = caller.personId().orElseThrow();
        Set<String> tenants = new java.util.HashSet<>();
        caller.tenant().ifPresent(t -> tenants.add(t.value()));
        locator.patientRecordsOf(person, null).forEach(k -> tenants.add(k.tenant().value()));
        Set<String> countries = new java.util.HashSet<>();
        for (String t : tenants) {
            institutions.find(TenantId.of(t)).ifPresent(i -> countries.add(i.country()));
        }
        String own = caller.tenant().flatMap(institutions::find)
                .map(health.meridian.domain.tenant.Institution::country).orElse(null);
        return new Home(own, countries);
    }

    static String countryName(String code) {
        return code == null ? "an unknown country" : new java.util.Locale("", code).getDisplayCountry(java.util.Locale.ENGLISH);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    public AccessGrant revoke(String id) {
        AccessSeam.Acting acting = patient(AuditAction.E, "grant-revoke");
        String person = acting.person();
        AccessGrant grant = grants.find(id).filter(g -> g.personId().equals(person))
                .orElseThrow(() -> new NoSuchElementException("EHR-0612 no grant " + id));
        grant.revoke(Instant.now());
        acting.done(e -> describe(e, grant));
        return grant;
    }

    private Grantee granteeOf(GrantRequest request) {
        boolean practitioner = request.practitioner() != null && !request.practitioner().isBlank();
        boolean institution = request.institution() != null && !request.institution().isBlank();
        if (practitioner == institution) {
            throw new IllegalArgumentException("EHR-0601 a grant needs exactly one grantee: a practitioner or an"
                    + " institution");
        }
        if (practitioner) {
            Grantee grantee = Grantee.practitioner(request.practitioner());
            directory.find(request.practitioner()).orElseThrow(() -> new IllegalArgumentException("EHR-0614 "
                    + request.practitioner() + " is not a care professional known to Meridian: choose the doctor"
                    + " or nurse from the search"));
            return grantee;
        }
        TenantId tenant = TenantId.of(request.institution());
        institutions.find(tenant).orElseThrow(() -> new IllegalArgumentException("EHR-0611 unknown institution "
                + tenant + ": choose an institution from the search"));
        return Grantee.institution(tenant);
    }

    /** The patient's own use case, through the seam: only a patient manages their grants (EHR-0600). */
    private AccessSeam.Acting patient(AuditAction action, String interaction) {
        return seam.acting(action, interaction, "Consent", null,
                caller -> AccessSeam.Bound.person(policy.requireGrantManager(caller)));
    }

    private static AuditRecord describe(AuditRecord event, AccessGrant grant) {
        return event.withResource("Consent", grant.id()).about(null, grant.personId(), null).withPurpose("PATADMIN")
                .withDetail("grantee " + grant.grantee().practitionerId().orElse("")
                        + grant.grantee().institution().map(TenantId::value).orElse("") + ", scope "
                        + grant.scope().kind());
    }
}
