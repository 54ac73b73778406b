package health.meridian.web.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Since;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.meridian.domain.record.StoredResource;
import health.meridian.web.fhir.search.CursorPagingProvider;
import health.meridian.web.fhir.search.FhirSearchService;
import health.meridian.web.fhir.search.SearchState;
import health.meridian.web.mirror.ReadYourWrites;
import health.meridian.web.record.ConditionalCriteria;
import health.meridian.web.record.RecordService;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import health.meridian.web.fhir.validation.ResourceValidation;
import jakarta.inject.Inject;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import health.meridian.domain.record.VersionCondition;

/**
 * The interactions every stored resource type has: read, vread, create, update, delete, instance and type history.
 * Subclasses name the type and add their search parameters. Adapters only: the use cases are in RecordService.
 */
public abstract class RecordResourceProvider<T extends IBaseResource> implements IResourceProvider {

    @Inject
    RecordService records;
    @Inject
    FhirContext fhir;
    @Inject
    FhirSearchService searches;
    @Inject
    ReadYourWrites consistency;
    @Inject
    ResourceValidation validation;
    @Inject
    RecordResources resources;
    @Inject
    HistoryBundles histories;

    @Override
    public abstract Class<T> getResourceType();

    protected String typeName() {
        return fhir.getResourceType(getResourceType());
    }

    @Read(version = true)
    public T read(@IdParam IdType id) {
        Optional<T> projected = projection(id);
        if (projected.isPresent()) {
            return projected.get();
        }
        StoredResource stored = id.hasVersionIdPart()
                ? records.readVersion(typeName(), id.getIdPart(), versionOf(id)).orElseThrow(() -> notFound(id))
                : records.read(typeName(), id.getIdPart()).orElseThrow(() -> notFound(id));
        if (stored.deleted()) {
            throw new ResourceGoneException(id);
        }
        return resources.answer(stored, getResourceType()); // written from its stored JSON (StoredJsonParser)
    }

    /** Create; with an If-None-Exist header ({@code identifier=system|value}) a conditional create. */
    @Create
    public MethodOutcome create(@ResourceParam T resource, @ConditionalUrlParam String ifNoneExist) {
        validation.requireValid(resource);
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            String identifier = ConditionalCriteria.parse(typeName(), ifNoneExist).identifier();
            RecordService.Created created = records.createIfNoneExist(resource, identifier);
            return outcome(created.stored(), created.isNew());
        }
        return outcome(records.create(resource), true);
    }

    /**
     * Update; {@code If-Match} (a version or {@code *}) and {@code If-None-Match: *} are checked by the record store
     * under the lock of its write ({@link Preconditions}); with a search URL instead of an id a conditional update.
     */
    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam T resource,
                                @ConditionalUrlParam String conditional, RequestDetails request) {
        VersionCondition condition = Preconditions.forWrite(request.getHeader("If-Match"),
                request.getHeader("If-None-Match"));
        // HAPI copies the If-Match value into the id as a version; the version is the server's to assign
        resource.setId(resource.getIdElement().toVersionless());
        validation.requireValid(resource);
        if (conditional != null && !conditional.isBlank() && (id == null || !id.hasIdPart())) {
            String identifier = ConditionalCriteria.parse(typeName(), conditional).identifier();
            RecordService.Created result = records.conditionalUpdate(typeName(), identifier, resource, condition);
            return outcome(result.stored(), result.isNew());
        }
        StoredResource stored = records.update(typeName(), id.getIdPart(), resource, condition);
        return outcome(stored, stored.version() == 1);
    }

    /** Delete; with {@code If-Match} only while the version is the one named (412 otherwise). */
    @Delete
    public MethodOutcome delete(@IdParam IdType id, RequestDetails request) {
        VersionCondition condition = Preconditions.forWrite(request.getHeader("If-Match"), null);
        records.delete(typeName(), id.getIdPart(), condition).orElseThrow(() -> notFound(id));
        return new MethodOutcome();
    }

    /** Instance history, newest first; a deletion is an entry with request method DELETE and no resource. */
    @History
    public List<IBaseResource> history(@IdParam IdType id) {
        List<StoredResource> versions = records.history(typeName(), id.getIdPart());
        if (versions.isEmpty()) {
            throw notFound(id);
        }
        return versions.stream().map(histories::entry).toList();
    }

    /**
     * Type history ({@code GET /fhir/Type/_history?_since&_count&_offset}): the versions of this type the caller
     * may see (the scope of their searches), newest first, in pages (HAPI pages histories by offset).
     */
    @History
    public IBundleProvider typeHistory(@Since InstantType since, @Count Integer count, @Offset Integer offset) {
        return histories.typePage(typeName(), PageSize.since(since), offset == null ? 0 : offset, PageSize.of(count));
    }

    /** Every search parameter of the type (see SearchParameters), served from the search mirror. */
    @Search(allowUnknownParams = true)
    public IBundleProvider search(RequestDetails request, @Count Integer count) {
        Map<String, String[]> params = new LinkedHashMap<>(request.getParameters());
        if (ReadYourWrites.requested(request.getHeader("X-Meridian-Consistency"), params.get("_consistency"))) {
            consistency.await();
        }
        int size = count == null ? CursorPagingProvider.DEFAULT_PAGE_SIZE : count;
        SearchState state = new SearchState(typeName(), params, size, list(params.get("_sort")),
                list(params.get("_include")), list(params.get("_revinclude")));
        return withProjections(params, searches.page(state, null));
    }

    /**
     * A resource of this type that is not stored but computed (e.g. a grant's Consent view), by id; empty for
     * stored resources, which {@link #read} then reads from the record store.
     */
    protected Optional<T> projection(IdType id) {
        return Optional.empty();
    }

    /** The first page of a search, with computed resources matching the parameters added (none by default). */
    protected IBundleProvider withProjections(Map<String, String[]> params, IBundleProvider firstPage) {
        return firstPage;
    }

    private static List<String> list(String[] values) {
        if (values == null) {
            return List.of();
        }
        return Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(","))).filter(v -> !v.isBlank()).toList();
    }

    protected T parse(StoredResource stored) {
        return resources.of(stored, getResourceType());
    }

    /**
     * What a create or update answers: HAPI picks by {@code Prefer: return=} the resource (representation, the
     * default), nothing (minimal) or this OperationOutcome; ETag, Location and Last-Modified come from the
     * versioned id and the resource in every case.
     */
    private MethodOutcome outcome(StoredResource stored, boolean created) {
        IdType versioned = new IdType(stored.key().type(), stored.key().id(), Integer.toString(stored.version()));
        MethodOutcome outcome = new MethodOutcome(versioned);
        outcome.setCreated(created);
        outcome.setResource(parse(stored));
        OperationOutcome said = new OperationOutcome();
        said.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics((created ? "created " : "updated ") + versioned.getValue());
        outcome.setOperationOutcome(said);
        return outcome;
    }

    private static int versionOf(IdType id) {
        try {
            return Integer.parseInt(id.getVersionIdPart());
        } catch (NumberFormatException e) {
            throw new ResourceNotFoundException(id);
        }
    }

    private static ResourceNotFoundException notFound(IdType id) {
        return new ResourceNotFoundException(id);
    }
}
