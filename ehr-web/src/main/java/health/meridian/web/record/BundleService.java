package health.meridian.web.record;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.record.VersionCondition;
import health.meridian.web.fhir.Preconditions;
import health.meridian.web.fhir.validation.ResourceValidation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR transaction bundles: all entries or none. Ids are assigned first so that {@code urn:uuid:} references
 * resolve; conditional creates ({@code ifNoneExist}) and conditional references ({@code Type?identifier=s|v}) are
 * resolved by identifier; then entries are stored in FHIR's processing order (DELETE, POST, PUT), Patients first so
 * that the records about them can be linked to their person.
 */
@ApplicationScoped
public class BundleService {

    @Inject
    RecordService records;
    @Inject
    FhirContext fhir;
    @Inject
    RecordBatchWriter batch;
    @Inject
    ResourceValidation validation;

    @Transactional
    public Bundle transaction(Bundle bundle) {
        if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw new IllegalArgumentException("EHR-0420 expected a Bundle of type transaction, got " + bundle.getType());
        }
        return run(bundle, 0);
    }

    /**
     * One write entry of a batch, in a transaction of its own: as a transaction of that one entry, with errors
     * naming the entry's place in the batch ({@code index}).
     */
    @Transactional
    public BundleEntryComponent batchEntry(int index, BundleEntryComponent entry) {
        Bundle single = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        single.addEntry(entry);
        return run(single, index).getEntryFirstRep();
    }

    private Bundle run(Bundle bundle, int firstIndex) {
        validation.requireValidEnvelope(bundle);
        List<Planned> plan = plan(bundle, firstIndex);
        Map<String, String> resolved = new HashMap<>();
        plan.forEach(p -> p.fullUrl().ifPresent(url -> resolved.put(url, p.type() + "/" + p.id())));
        plan.forEach(p -> rewriteReferences(p, resolved));
        // after the references point at Type/id, so the validator checks their target types; before any write
        validation.requireValidEntries(plan.stream().filter(p -> p.resource() != null)
                .map(p -> new ResourceValidation.Entry(p.index(), p.resource())).toList());
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        Map<Planned, BundleEntryComponent> answers = new HashMap<>();
        List<Planned> ordered = plan.stream().sorted(Comparator.comparingInt(Planned::order)).toList();
        ordered.stream().filter(p -> p.verb() == HTTPVerb.DELETE).forEach(p -> answers.put(p, execute(p)));
        createAll(ordered.stream().filter(p -> p.verb() == HTTPVerb.POST && !p.alreadyExists()).toList(), answers);
        ordered.stream().filter(p -> !answers.containsKey(p)).forEach(p -> answers.put(p, execute(p)));
        plan.forEach(p -> response.addEntry(answers.get(p)));
        return response;
    }

    /** One entry, prepared: what to do, to which type and id, and on which version condition (ifMatch). */
    record Planned(int index, HTTPVerb verb, String type, String id, Resource resource,
                   java.util.Optional<String> fullUrl, boolean alreadyExists, VersionCondition condition) {

        Planned(int index, HTTPVerb verb, String type, String id, Resource resource,
                java.util.Optional<String> fullUrl, boolean alreadyExists) {
            this(index, verb, type, id, resource, fullUrl, alreadyExists, VersionCondition.NONE);
        }

        Planned on(BundleEntryComponent entry) {
            return new Planned(index, verb, type, id, resource, fullUrl, alreadyExists, Preconditions.forWrite(
                    entry.getRequest().getIfMatch(), entry.getRequest().getIfNoneMatch()));
        }

        int order() {
            int verbRank = switch (verb) {
                case DELETE -> 0;
                case POST, PUT -> 1;
                default -> 2;
            };
            int patientFirst = "Patient".equals(type) ? 0 : 1;
            return verbRank * 100_000_000 + patientFirst * 10_000_000 + index;
        }
    }

    private List<Planned> plan(Bundle bundle, int firstIndex) {
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            plan.add(planEntry(firstIndex + i, bundle.getEntry().get(i)));
        }
        return plan;
    }

    private Planned planEntry(int index, BundleEntryComponent entry) {
        if (!entry.hasRequest() || !entry.getRequest().hasMethod()) {
            throw new IllegalArgumentException("EHR-0421 entry " + index + " has no request method");
        }
        HTTPVerb verb = entry.getRequest().getMethod();
        String url = entry.getRequest().getUrl();
        java.util.Optional<String> fullUrl = java.util.Optional.ofNullable(entry.getFullUrl())
                .filter(u -> !u.isBlank());
        Resource resource = entry.getResource();
        switch (verb) {
            case POST -> {
                requireResource(index, resource);
                String ifNoneExist = entry.getRequest().getIfNoneExist();
                if (ifNoneExist != null && !ifNoneExist.isBlank()) {
                    ConditionalCriteria c = ConditionalCriteria.parse(resource.fhirType(), ifNoneExist);
                    java.util.Optional<String> existing = records.findForConditionalCreate(resource.fhirType(),
                            c.identifier()).map(s -> s.key().id());
                    if (existing.isPresent()) {
                        return new Planned(index, verb, resource.fhirType(), existing.get(), resource, fullUrl, true);
                    }
                }
                return new Planned(index, verb, resource.fhirType(), UUID.randomUUID().toString(), resource, fullUrl,
                        false);
            }
            case PUT -> {
                requireResource(index, resource);
                if (url.contains("?")) { // conditional update: the visible match, or a create with a server id
                    java.util.Optional<String> match = records.findByIdentifier(resource.fhirType(),
                            ConditionalCriteria.parse(resource.fhirType(), url).identifier());
                    return match.map(id -> new Planned(index, verb, resource.fhirType(), id, resource, fullUrl, false)
                                    .on(entry))
                            .orElseGet(() -> new Planned(index, HTTPVerb.POST, resource.fhirType(),
                                    UUID.randomUUID().toString(), resource, fullUrl, false));
                }
                return new Planned(index, verb, resource.fhirType(), idFromUrl(index, url, resource.fhirType()),
                        resource, fullUrl, false).on(entry);
            }
            case DELETE -> {
                String[] parts = url.split("/");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("EHR-0422 entry " + index + ": DELETE needs Type/id, got " + url);
                }
                return new Planned(index, verb, parts[0], parts[1], null, fullUrl, false).on(entry);
            }
            default -> throw new IllegalArgumentException("EHR-0423 entry " + index + ": " + verb
                    + " is not supported inside a transaction");
        }
    }

    private static void requireResource(int index, Resource resource) {
        if (resource == null) {
            throw new IllegalArgumentException("EHR-0424 entry " + index + " has no resource");
        }
    }

    private static String idFromUrl(int index, String url, String type) {
        String[] parts = url.split("/");
        if (parts.length != 2 || !parts[0].equals(type)) {
            throw new IllegalArgumentException("EHR-0425 entry " + index + ": PUT url must be " + type + "/id");
        }
        return parts[1];
    }

    private void rewriteReferences(Planned p, Map<String, String> resolved) {
        if (p.resource() == null) {
            return;
        }
        for (Reference ref : fhir.newTerser().getAllPopulatedChildElementsOfType(p.resource(), Reference.class)) {
            String target = ref.getReference();
            if (target == null || target.startsWith("#")) {
                continue;
            }
            if (resolved.containsKey(target)) {
                ref.setReference(resolved.get(target));
            } else if (target.startsWith("urn:uuid:") || target.startsWith("urn:oid:")) {
                throw new IllegalArgumentException("EHR-0426 unresolved reference " + target + " in entry " + p.index());
            } else if (target.contains("?")) {
                ConditionalCriteria c = ConditionalCriteria.parse(null, target);
                String id = records.findByIdentifier(c.type(), c.identifier()).orElseThrow(() ->
                        new IllegalArgumentException("EHR-0427 conditional reference " + target + " matches nothing"));
                ref.setReference(c.type() + "/" + id);
            }
        }
        records.resolvePatientReferences(p.resource());
    }

    /** New resources in one batch: ids were assigned in planning, references already point at them. */
    private void createAll(List<Planned> creates, Map<Planned, BundleEntryComponent> answers) {
        Map<Resource, Planned> byResource = new java.util.IdentityHashMap<>();
        List<org.hl7.fhir.instance.model.api.IBaseResource> resources = new ArrayList<>();
        for (Planned p : creates) {
            p.resource().setId(p.type() + "/" + p.id());
            byResource.put(p.resource(), p);
            resources.add(p.resource());
        }
        batch.createAll(resources).forEach((resource, stored) -> answers.put(byResource.get((Resource) resource),
                new BundleEntryComponent().setResponse(created(stored, true))));
    }

    private BundleEntryComponent execute(Planned p) {
        BundleEntryComponent answer = new BundleEntryComponent();
        if (p.alreadyExists()) {
            answer.getResponse().setStatus("200 OK").setLocation(p.type() + "/" + p.id());
            return answer;
        }
        switch (p.verb()) {
            case DELETE -> {
                records.delete(p.type(), p.id(), p.condition());
                answer.getResponse().setStatus("204 No Content");
            }
            case POST -> answer.setResponse(created(records.createWithId(p.id(), p.resource()), true));
            default -> {
                StoredResource stored = records.update(p.type(), p.id(), p.resource(), p.condition());
                answer.setResponse(created(stored, stored.version() == 1));
            }
        }
        return answer;
    }

    private static Bundle.BundleEntryResponseComponent created(StoredResource s, boolean isNew) {
        return new Bundle.BundleEntryResponseComponent()
                .setStatus(isNew ? "201 Created" : "200 OK")
                .setLocation(s.key().type() + "/" + s.key().id() + "/_history/" + s.version())
                .setEtag("W/\"" + s.version() + "\"")
                .setLastModified(java.util.Date.from(s.recordedAt()));
    }
}
