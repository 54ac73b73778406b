package health.meridian.web.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.domain.search.RecordQuery.Match;
import health.meridian.web.record.SearchService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;

@Dependent
public class PatientResourceProvider extends RecordResourceProvider<Patient> {

    private static final int DEFAULT_COUNT = 20;

    @Inject
    SearchService search;

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    @Search
    public List<Patient> search(@OptionalParam(name = Patient.SP_NAME) StringParam name,
                                @OptionalParam(name = Patient.SP_FAMILY) StringParam family,
                                @OptionalParam(name = Patient.SP_GIVEN) StringParam given,
                                @OptionalParam(name = Patient.SP_IDENTIFIER) TokenParam identifier,
                                @OptionalParam(name = Patient.SP_GENDER) TokenParam gender,
                                @OptionalParam(name = Patient.SP_BIRTHDATE) DateParam birthdate,
                                @Count Integer count) throws IndexUnavailableException {
        List<Criterion> criteria = new ArrayList<>();
        addString(criteria, "name_folded", name);
        addString(criteria, "family_folded", family);
        addString(criteria, "given_folded", given);
        if (identifier != null) {
            criteria.add(new Criterion("identifiers", identifier.getSystem() + "|" + identifier.getValue(),
                    Match.EXACT));
        }
        if (gender != null) {
            criteria.add(new Criterion("gender", gender.getValue(), Match.EXACT));
        }
        if (birthdate != null) {
            criteria.add(new Criterion("birthdate", birthdate.getValueAsString(), Match.EXACT));
        }
        int size = count == null ? DEFAULT_COUNT : count;
        return search.search("Patient", criteria, size).hits().stream()
                .map(hit -> fhir.newJsonParser().parseResource(Patient.class, hit.json())).toList();
    }

    private static void addString(List<Criterion> criteria, String field, StringParam param) {
        if (param != null && !param.getValue().isBlank()) {
            criteria.add(new Criterion(field, param.getValue(), param.isExact() ? Match.EXACT : Match.PREFIX));
        }
    }
}
