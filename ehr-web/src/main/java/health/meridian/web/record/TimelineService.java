package health.meridian.web.record;

import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.RecordQuery;
import health.meridian.search.TimelineKinds;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.domain.search.RecordQuery.FullText;
import health.meridian.domain.search.RecordQuery.Range;
import health.meridian.domain.search.RecordQuery.Term;
import health.meridian.domain.search.SearchResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A patient's longitudinal timeline: every entry about the same person, from every institution the caller may
 * see, newest first, with facets and a monthly histogram. Served by the mirror; when the mirror is down, by
 * PostgreSQL (no facets then) — see {@link TimelineFallback}.
 */
@ApplicationScoped
public class TimelineService {

    /** The types the timeline shows: the catalogue's types about a patient with a clinical time. */
    static final List<String> TYPES = new health.meridian.domain.record.ResourceCatalogue(
            ca.uhn.fhir.context.FhirContext.forR4Cached()).timelineTypes();

    @Inject
    RecordService records;
    @Inject
    SearchService search;
    @Inject
    TimelineFallback fallback;

    /**
     * {@code billing}: whether billing entries (Claim, ExplanationOfBenefit) are listed; the chart leaves them out of
     * the clinical view unless asked (issue #20). Choosing the billing category lists them either way.
     */
    public record Filter(String category, String from, String to, String institution, String text, int size,
                         List<Object> after, boolean billing) {
        public Filter(String category, String from, String to, String institution, String text, int size,
                      List<Object> after) {
            this(category, from, to, institution, text, size, after, true);
        }

        /** The resource types this filter lists. */
        List<String> types() {
            return billing || BILLING.equals(category) ? TYPES : CLINICAL_TYPES;
        }
    }

    static final String BILLING = "billing";
    /** The timeline's types without the billing ones (the kind {@link TimelineKinds} gives them). */
    static final List<String> CLINICAL_TYPES = TYPES.stream()
            .filter(t -> !BILLING.equals(TimelineKinds.of(t, List.of()))).toList();

    /**
     * {@code withheld}: the caller's access to this patient leaves some categories of sensitive information out (a
     * grant's scope), whether or not the patient has any: the screen says "some information may be withheld".
     */
    public record Page(StoredResource patient, SearchResult result, boolean fromFallback, boolean withheld) {
    }

    /** One transaction: the Patient read, the page and their audit events commit together (refusals too). */
    @jakarta.transaction.Transactional(dontRollbackOn = PatientNotVisibleException.class)
    public Page timeline(String patientId, Filter filter) {
        StoredResource patient = records.read("Patient", patientId).filter(p -> !p.deleted())
                .orElseThrow(() -> new PatientNotVisibleException(patientId));
        // Own institution: only a person the caller already cares for; other institutions: only under a grant.
        boolean[] withheld = {false};
        SearchService.PersonResult page = search.searchPerson(patient.personId(), "timeline",
                scope -> {
                    withheld[0] = withholds(scope);
                    return new RecordQuery(scope, filter.types(), criteria(filter),
                            List.of(new RecordQuery.Sort("effective", true)), filter.size(), filter.after(),
                            List.of("kind", "tenant"), true, false); // the page shows index fields, never the resource
                },
                scope -> {
                    withheld[0] = withholds(scope);
                    return fallback.timeline(scope, filter);
                })
                .orElseThrow(() -> new PatientNotVisibleException(patientId));
        return new Page(patient, page.result(), page.fromFallback(), withheld[0]);
    }

    private static boolean withholds(RecordQuery.Scope scope) {
        return !scope.withheldLabels().isEmpty() || scope.shared().stream().anyMatch(s -> !s.withheldCodes().isEmpty());
    }

    private static List<Criterion> criteria(Filter f) {
        List<Criterion> c = new ArrayList<>();
        c.add(new RecordQuery.Exists("effective", true));
        Optional.ofNullable(f.category()).filter(s -> !s.isBlank()).ifPresent(v -> c.add(new Term("kind", v)));
        Optional.ofNullable(f.institution()).filter(s -> !s.isBlank()).ifPresent(v -> c.add(new Term("tenant", v)));
        Optional.ofNullable(f.text()).filter(s -> !s.isBlank()).ifPresent(v -> c.add(text(v)));
        if (notBlank(f.from()) || notBlank(f.to())) {
            c.add(new Range("effective", null, notBlank(f.from()) ? f.from() : null, null,
                    notBlank(f.to()) ? f.to() + "T23:59:59.999Z" : null));
        }
        return c;
    }

    /** The typed words, or the long name of a short one clinicians use ("HbA1c"): {@link TimelineSynonyms}. */
    private static Criterion text(String typed) {
        List<Criterion> any = TimelineSynonyms.alternatives(typed).stream().<Criterion>map(FullText::new).toList();
        return any.size() == 1 ? any.get(0) : new RecordQuery.AnyOf(any);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** The patient does not exist for this caller (never says which: existence must not leak). */
    public static class PatientNotVisibleException extends RuntimeException {
        public PatientNotVisibleException(String id) {
            super("EHR-0671 patient " + id + " not found");
        }
    }
}
