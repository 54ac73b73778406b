package health.meridian.domain.record;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource types Meridian stores and serves, one entry per type: every R4 resource type HAPI's
 * {@link FhirContext} knows (146) except the few {@link #REFUSED} ones. Each entry says which element names the
 * patient a record is about (the access policy decides a record by that patient; a record about no patient is an
 * institution's record), where its clinical time is, who authored it and how the timeline shows it.
 *
 * <p>The types Meridian has served since the first imports carry a curated entry ({@link #CURATED}); every other type
 * is derived from the R4 definitions: its patient from the search parameters that give membership in the
 * {@code Patient} compartment ({@code patient}, else {@code subject}, else all of them, then only references typed or
 * resolving to Patient), its time from its {@code date} parameter. A type is on the timeline when it is about a
 * patient and has a time.
 */
public final class ResourceCatalogue {

    /**
     * One served type.
     *
     * @param patientPaths element paths below the type whose references name the patient (empty: about no patient)
     * @param patientElement true when those elements are the type's patient element, so an untyped reference there
     *                       is a Patient reference; false when they also name others (then only typed Patient
     *                       references or literal {@code Patient/x} count)
     * @param timeElements   top-level elements the effective time is taken from, first present wins
     * @param authorElement  top-level element naming the author, or null
     * @param timelineKind   the timeline category of its entries
     * @param onTimeline     whether its entries are shown on the patient timeline
     */
    public record Entry(String type, List<String> patientPaths, boolean patientElement, List<String> timeElements,
                        String authorElement, String timelineKind, boolean onTimeline) {

        public boolean aboutPatient() {
            return !patientPaths.isEmpty();
        }
    }

    /** Types that are not stored as records, with the reason a write of one is refused. */
    public static final Map<String, String> REFUSED = Map.of(
            "Bundle", "a Bundle carries other resources, each decided by its own patient: post a transaction or batch"
                    + " to the server base instead",
            "Parameters", "Parameters are the payload of an operation, not a record",
            "OperationOutcome", "an OperationOutcome is an answer, not a record",
            "AuditEvent", "AuditEvents are written by the server's audit ledger only (read-only at /fhir/AuditEvent)",
            "Subscription", "Meridian sends no notifications; a stored Subscription would promise them",
            "SearchParameter", "search parameters are the R4 definitions; a stored SearchParameter would not apply");

    private static final List<Entry> CURATED = List.of(
            curated("Patient", null, List.of("birthDate"), null, "patient", false),
            curated("Encounter", "subject", List.of("period"), null, "encounter", true),
            curated("Condition", "subject", List.of("onset", "recordedDate"), "recorder", "problem", true),
            curated("Observation", "subject", List.of("effective", "issued"), "performer", "observation", true),
            curated("MedicationRequest", "subject", List.of("authoredOn"), "requester", "medication", true),
            curated("MedicationStatement", "subject", List.of("effective", "dateAsserted"), null, "medication", true),
            curated("MedicationAdministration", "subject", List.of(), null, "medication", true),
            curated("AllergyIntolerance", "patient", List.of("recordedDate", "onset"), "recorder", "allergy", true),
            curated("Procedure", "subject", List.of("performed"), null, "procedure", true),
            curated("Immunization", "patient", List.of("occurrence"), null, "immunization", true),
            curated("DiagnosticReport", "subject", List.of("effective", "issued"), "performer", "report", true),
            curated("DocumentReference", "subject", List.of("date"), "author", "document", true),
            curated("CarePlan", "subject", List.of("period", "created"), null, "care-plan", true),
            curated("CareTeam", "subject", List.of("period"), null, "care-team", true),
            curated("Consent", "patient", List.of("dateTime"), null, "consent", false),
            curated("Claim", "patient", List.of("billablePeriod", "created"), null, "billing", true),
            curated("ExplanationOfBenefit", "patient", List.of("billablePeriod", "created"), null, "billing", true),
            curated("ImagingStudy", "subject", List.of(), null, "imaging", true),
            curated("Device", "patient", List.of(), null, "device", true),
            curated("SupplyDelivery", "patient", List.of(), null, "supply", true),
            // a Provenance is about the person of its targets (RecordSubjects), not about a patient element
            curated("Provenance", null, List.of("recorded"), null, "provenance", false),
            // a Binary is about the person of the record its securityContext names (RecordSubjects)
            curated("Binary", null, List.of(), null, "binary", false));

    private static final Map<String, Entry> BY_CURATED_TYPE = CURATED.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Entry::type, e -> e));

    private static final Map<String, Optional<Entry>> CACHE = new ConcurrentHashMap<>();
    private static volatile List<String> served;

    private final FhirContext fhir;

    public ResourceCatalogue(FhirContext fhir) {
        this.fhir = fhir;
    }

    /** Every served type, in alphabetical order. */
    public List<String> served() {
        List<String> all = served;
        if (all == null) {
            all = new TreeSet<>(fhir.getResourceTypes()).stream().filter(t -> !REFUSED.containsKey(t)).toList();
            served = all;
        }
        return all;
    }

    /** The entry of a served type; empty for a refused or unknown one. */
    public Optional<Entry> entry(String type) {
        if (type == null || REFUSED.containsKey(type)) {
            return Optional.empty();
        }
        return CACHE.computeIfAbsent(type, this::load);
    }

    public boolean isServed(String type) {
        return entry(type).isPresent();
    }

    /** Why a type is not stored (refused or not an R4 resource type); empty for a served one. */
    public Optional<String> refusal(String type) {
        if (REFUSED.containsKey(type)) {
            return Optional.of(REFUSED.get(type));
        }
        return isServed(type) ? Optional.empty() : Optional.of("not an R4 resource type");
    }

    /** The served types whose entries the patient timeline shows. */
    public List<String> timelineTypes() {
        return served().stream().map(this::entry).flatMap(Optional::stream).filter(Entry::onTimeline)
                .map(Entry::type).toList();
    }

    private Optional<Entry> load(String type) {
        if (BY_CURATED_TYPE.containsKey(type)) {
            return Optional.of(BY_CURATED_TYPE.get(type));
        }
        RuntimeResourceDefinition definition;
        try {
            definition = fhir.getResourceDefinition(type);
        } catch (RuntimeException unknown) {
            return Optional.empty();
        }
        List<RuntimeSearchParam> compartment = definition.getSearchParams().stream()
                .filter(p -> p.getProvidesMembershipInCompartments() != null
                        && p.getProvidesMembershipInCompartments().contains("Patient"))
                .sorted(Comparator.comparing(RuntimeSearchParam::getName)).toList();
        List<RuntimeSearchParam> chosen = chosen(compartment);
        boolean element = chosen.size() == 1 && List.of("patient", "subject").contains(chosen.get(0).getName())
                && !chosen.get(0).getPath().contains("resolve()");
        List<String> patientPaths = chosen.stream().flatMap(p -> paths(type, p.getPath()).stream()).toList();
        List<String> time = Optional.ofNullable(definition.getSearchParam("date"))
                .map(p -> paths(type, p.getPath()).stream().filter(path -> !path.contains(".")).limit(1).toList())
                .orElse(List.of());
        boolean timeline = !patientPaths.isEmpty() && !time.isEmpty();
        return Optional.of(new Entry(type, patientPaths, element, time, null, type.toLowerCase(), timeline));
    }

    private static List<RuntimeSearchParam> chosen(List<RuntimeSearchParam> compartment) {
        for (String name : List.of("patient", "subject")) {
            List<RuntimeSearchParam> named = compartment.stream().filter(p -> name.equals(p.getName())).toList();
            if (!named.isEmpty()) {
                return named;
            }
        }
        return compartment;
    }

    /**
     * The simple element paths below {@code type} of an R4 search parameter expression: each union member, without
     * its {@code .where(resolve() is X)} filter or {@code as} cast; members of other shapes are left out.
     */
    static List<String> paths(String type, String expression) {
        List<String> out = new ArrayList<>();
        if (expression == null) {
            return out;
        }
        for (String part : expression.split("\\|")) {
            String p = part.trim().replaceAll("^\\((.*)\\)$", "$1").replaceAll("\\.where\\(resolve\\(\\) is \\w+\\)$", "")
                    .replaceAll(" as \\w+$", "").trim();
            if (p.startsWith(type + ".") && p.substring(type.length() + 1).matches("[A-Za-z]+(\\.[A-Za-z]+)*")) {
                out.add(p.substring(type.length() + 1));
            }
        }
        return out;
    }

    private static Entry curated(String type, String patientElement, List<String> time, String author, String kind,
                                 boolean timeline) {
        return new Entry(type, patientElement == null ? List.of() : List.of(patientElement), patientElement != null,
                time, author, kind, timeline);
    }
}
