package health.meridian.web.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.domain.search.RecordQuery.Match;
import health.meridian.web.record.SearchService;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Search parameters shared by the record's resource types, served from the search mirror: patient/subject, code,
 * category, status, identifier. (Date ranges, _include, chaining and paging: issue #4.)
 */
public abstract class ClinicalResourceProvider<T extends IBaseResource> extends RecordResourceProvider<T> {

    private static final int DEFAULT_COUNT = 20;

    @Inject
    SearchService search;

    @Search
    public List<IBaseResource> search(@OptionalParam(name = "patient") ReferenceParam patient,
                                      @OptionalParam(name = "subject") ReferenceParam subject,
                                      @OptionalParam(name = "code") TokenParam code,
                                      @OptionalParam(name = "category") TokenParam category,
                                      @OptionalParam(name = "status") TokenParam status,
                                      @OptionalParam(name = "identifier") TokenParam identifier,
                                      @Count Integer count) throws IndexUnavailableException {
        List<Criterion> criteria = new ArrayList<>();
        ReferenceParam who = patient != null ? patient : subject;
        if (who != null) {
            criteria.add(new Criterion("patient", "Patient/" + who.getIdPart(), Match.EXACT));
        }
        token(criteria, "codes", code);
        token(criteria, "category", category);
        if (status != null) {
            criteria.add(new Criterion("status", status.getValue(), Match.EXACT));
        }
        token(criteria, "identifiers", identifier);
        int size = count == null ? DEFAULT_COUNT : count;
        return search.search(typeName(), criteria, size).hits().stream()
                .map(hit -> (IBaseResource) fhir.newJsonParser().parseResource(hit.json())).toList();
    }

    /** system|code must match exactly; a bare code matches that code in any system. */
    private static void token(List<Criterion> criteria, String field, TokenParam token) {
        if (token == null) {
            return;
        }
        if (token.getSystem() != null) {
            criteria.add(new Criterion(field, token.getSystem() + "|" + token.getValue(), Match.EXACT));
        } else {
            criteria.add(new Criterion(field + "_code", token.getValue(), Match.EXACT));
        }
    }
}
