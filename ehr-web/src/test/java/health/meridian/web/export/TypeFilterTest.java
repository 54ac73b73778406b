package health.meridian.web.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.ResourceCatalogue;
import health.meridian.domain.search.RecordQuery.Term;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypeFilterTest {

    private static final ResourceCatalogue CATALOGUE = new ResourceCatalogue(FhirContext.forR4Cached());

    private static List<TypeFilter> parse(String value, String... types) {
        return TypeFilter.parseAll(List.of(value), List.of(types), CATALOGUE);
    }

    @Test
    void readsTypeAndUrlDecodedParameters() {
        TypeFilter f = TypeFilter.parse("Observation?code=http%3A%2F%2Floinc.org%7C8480-6&status=final&status=amended");
        assertThat(f.type()).isEqualTo("Observation");
        assertThat(f.params().get("code")).containsExactly("http://loinc.org|8480-6");
        assertThat(f.params().get("status")).containsExactly("final", "amended");
    }

    @Test
    void keepsAPlusAsAPlus() {
        TypeFilter f = TypeFilter.parse("Observation?date=ge2024-01-01T00:00:00+01:00");
        assertThat(f.params().get("date")).containsExactly("ge2024-01-01T00:00:00+01:00");
        assertThat(parse("Observation?date=ge2024-01-01T00:00:00+01:00")).hasSize(1);
    }

    @Test
    void splitsCommaSeparatedFiltersButKeepsCommasInsideValues() {
        List<TypeFilter> filters = parse("Observation?code=a,b,Condition?clinical-status=active,"
                + "Observation?category=vital-signs");
        assertThat(filters).extracting(TypeFilter::type).containsExactly("Observation", "Condition", "Observation");
        assertThat(filters.get(0).params().get("code")).containsExactly("a,b");
        assertThat(TypeFilter.parseAll(List.of("Observation?code=a", "Condition?code=b"), List.of(), CATALOGUE))
                .hasSize(2);
    }

    @Test
    void translatesThroughTheFhirSearchTranslator() {
        TypeFilter f = TypeFilter.parse("Observation?code=http://loinc.org|8480-6");
        assertThat(f.criteria(null)).singleElement().isInstanceOfSatisfying(Term.class,
                t -> assertThat(t.values()).singleElement().asString().contains("http://loinc.org|8480-6"));
    }

    @Test
    void refusesMalformedFilters() {
        for (String bad : List.of("Observation", "Observation?", "?code=x", "observation?code=x", "Observation?code",
                "Observation?=x", "Observation?code=", "Observation?code=%zz")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).hasMessageStartingWith("EHR-1142");
        }
    }

    @Test
    void refusesTypesNotServedOrNotAsked() {
        assertThatThrownBy(() -> parse("Nope?code=x")).hasMessageStartingWith("EHR-1143");
        assertThatThrownBy(() -> parse("Condition?code=x", "Observation")).hasMessageStartingWith("EHR-1143");
        assertThat(parse("Condition?code=x", "Observation", "Condition")).hasSize(1);
    }

    @Test
    void refusesParametersTheSearchCannotApply() {
        for (String bad : List.of("Observation?frobnicate=1", "Observation?_count=5", "Observation?_sort=date",
                "Observation?code:fancy=x", "Observation?date=yesterday", "Patient?_has:Observation:patient:code=x")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).hasMessageStartingWith("EHR-1144");
        }
        assertThatThrownBy(() -> parse("Observation?frobnicate=1")).hasMessageContaining("EHR-0501");
    }
}
