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

    /** A joins stub that records the searches a translation asks for and answers them with one target each. */
    private static final class RecordingJoins implements SearchTranslator.Joins {
        final List<String> asked = new java.util.ArrayList<>();

        @Override
        public List<String> matching(String type, String key, String value) {
            asked.add("matching " + type + " " + key + "=" + value);
            return List.of(type + "/t1");
        }

        @Override
        public List<String> referencedBy(String type, String refParam, String key, String value) {
            asked.add("referencedBy " + type + " " + refParam + " " + key + "=" + value);
            return List.of("Patient/p1");
        }
    }

    /**
     * A chain of two links is the first link's target type searched with the rest of the chain (which that type's own
     * translation resolves, link by link); more than three links are refused.
     */
    @Test
    void aLongerChainSearchesTheFirstTargetWithTheRestOfTheChain() {
        RecordingJoins joins = new RecordingJoins();
        Criterion c = new SearchTranslator("Observation", joins).criterion("subject:Patient.organization.name", "Acme");
        assertThat(joins.asked).containsExactly("matching Patient organization.name=Acme");
        assertThat(c).isEqualTo(new Term("sp_ref", List.of("subject:Patient/t1")));
        RecordingJoins second = new RecordingJoins();
        new SearchTranslator("Patient", second).criterion("organization.name", "Acme");
        assertThat(second.asked).containsExactly("matching Organization name=Acme");
        assertThatThrownBy(() -> on("Observation", "subject:Patient.organization.partof.partof.name", "x"))
                .hasMessageContaining("EHR-0502");
        assertThatThrownBy(() -> on("Observation", "subject:Patient.nosuch.name", "x"))
                .hasMessageContaining("EHR-0502");
    }

    /** A nested _has asks the outer type for what refers to it through the inner _has; four levels are refused. */
    @Test
    void aNestedHasIsResolvedByTheReferringTypesOwnHas() {
        RecordingJoins joins = new RecordingJoins();
        Criterion c = new SearchTranslator("Patient", joins).criterion(
                "_has:Encounter:patient:_has:Observation:encounter:code", "1234-5");
        assertThat(joins.asked).containsExactly(
                "referencedBy Encounter patient _has:Observation:encounter:code=1234-5");
        assertThat(c).isEqualTo(new Term("id", List.of("p1")));
        assertThatThrownBy(() -> on("Patient", "_has:A:b:_has:C:d:_has:E:f:_has:G:h:code", "x"))
                .hasMessageContaining("EHR-0532");
    }
}
