package health.meridian.web.fhir.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.domain.search.RecordQuery.AnyOf;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.domain.search.RecordQuery.Nested;
import health.meridian.domain.search.RecordQuery.Not;
import health.meridian.domain.search.RecordQuery.Range;
import health.meridian.domain.search.RecordQuery.RangeRelation;
import health.meridian.domain.search.RecordQuery.Relation;
import health.meridian.domain.search.RecordQuery.Term;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The R4 meaning of parameters, prefixes and modifiers, as criteria (the conformance IT runs them for real). */
class SearchTranslatorTest {

    private static final SearchTranslator.Joins NO_JOINS = new SearchTranslator.Joins() {
        @Override
        public List<String> matching(String type, String key, String value) {
            return List.of();
        }

        @Override
        public List<String> referencedBy(String type, String refParam, String key, String value) {
            return List.of();
        }
    };

    private static Criterion on(String type, String key, String value) {
        return new SearchTranslator(type, NO_JOINS).criterion(key, value);
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void aDateIsTheRangeOfItsPrecisionAndEqMeansWithin() {
        Nested n = (Nested) on("Patient", "birthdate", "1951-09-03");
        assertThat(n.param()).isEqualTo("birthdate");
        assertThat(n.criteria()).containsExactly(new RangeRelation("sp_date.r", ms("1951-09-03T00:00:00Z"),
                ms("1951-09-03T23:59:59.999Z"), Relation.WITHIN));
    }

    @Test
    void gtIntersectsTheRangeAboveAndSaLiesWithinIt() {
        Nested gt = (Nested) on("Encounter", "date", "gt2009-10-25");
        assertThat(gt.criteria()).containsExactly(new RangeRelation("sp_date.r", ms("2009-10-26T00:00:00Z"), null,
                Relation.INTERSECTS));
        Nested sa = (Nested) on("Encounter", "date", "sa2009-10-25");
        assertThat(sa.criteria()).containsExactly(new RangeRelation("sp_date.r", ms("2009-10-26T00:00:00Z"), null,
                Relation.WITHIN));
        Nested ne = (Nested) on("Encounter", "date", "ne2009-10-25");
        assertThat(ne.criteria().get(0)).isInstanceOf(Not.class);
    }

    @Test
    void aNumberCarriesItsImplicitPrecisionAndCommasAreOr() {
        Nested eq = (Nested) on("Observation", "value-quantity", "5.4");
        Range r = (Range) eq.criteria().get(0);
        assertThat((Double) r.gte()).isCloseTo(5.35, org.assertj.core.data.Offset.offset(1e-9));
        assertThat((Double) r.lt()).isCloseTo(5.45, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(on("Observation", "value-quantity", "lt1,gt300")).isInstanceOf(AnyOf.class);
    }

    @Test
    void aUcumUnitAlsoMatchesTheCanonicalForm() {
        AnyOf any = (AnyOf) on("Observation", "value-quantity", "83.3||g");
        Nested canonical = (Nested) any.criteria().get(1);
        assertThat(canonical.criteria().get(0)).isEqualTo(new Term("sp_num.cu", "g"));
    }

    @Test
    void tokensKeepTheirSystemFormsAndModifiers() {
        assertThat(on("Patient", "gender", "http://hl7.org/fhir/administrative-gender|")).isEqualTo(
                new Term("sp_token", List.of("gender:http://hl7.org/fhir/administrative-gender|")));
        assertThat(on("Condition", "code", "|local-1")).isEqualTo(new Term("sp_token", List.of("code:|local-1")));
        assertThat(on("Observation", "status:not", "final")).isEqualTo(new Not(new Term("sp_token",
                List.of("status:final"))));
        assertThat(on("Observation", "code:missing", "true")).isEqualTo(new Not(new Term("sp_present", "code")));
    }

    @Test
    void aCompositeComparesTheSecondComponentUnderTheFirstOnesToken() {
        Nested n = (Nested) on("Observation", "component-code-value-quantity", "http://loinc.org|8480-6$gt130");
        assertThat(n.param()).isEqualTo("component-code-value-quantity$http://loinc.org|8480-6");
        assertThat(n.criteria().get(0)).isEqualTo(new Range("sp_num.v", 130.0, null, null, null));
        assertThatThrownBy(() -> on("Observation", "code-value-quantity", "4548-4")).hasMessageContaining("EHR-0533");
    }

    @Test
    void exactStringsKeepCaseAndAccents() {
        assertThat(on("Patient", "family:exact", "Müller")).isEqualTo(new Term("sp_string_exact",
                List.of("family:Müller")));
    }

    @Test
    void parametersR4DoesNotDefineOrMeridianDoesNotSupportAreRefusedWithTheirCode() {
        assertThatThrownBy(() -> on("Immunization", "code", "140")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("EHR-0501");
        assertThatThrownBy(() -> on("DocumentReference", "relationship", "replaces$DocumentReference/1"))
                .hasMessageContaining("EHR-0531");
        assertThatThrownBy(() -> on("Patient", "phonetic", "smith")).hasMessageContaining("EHR-0531");
        assertThatThrownBy(() -> on("Observation", "code:in", "http://x")).hasMessageContaining("EHR-0504");
        assertThatThrownBy(() -> on("Observation", "date", "yesterday")).hasMessageContaining("EHR-0507");
        assertThat(on("Immunization", "vaccine-code", "140")).isEqualTo(new Term("sp_token",
                List.of("vaccine-code:140")));
    }
}
