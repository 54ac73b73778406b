package health.meridian.domain.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CohortDefinitionTest {

    static final LocalDate INDEX = LocalDate.of(2025, 1, 1);
    static final Criterion DIABETES = new Criterion(CriterionType.CONDITION,
            List.of(Code.parse("http://snomed.info/sct|44054006")), null, null, null);

    @Test
    void validDefinitionListsItsCriteria() {
        Group root = new Group(Group.Operator.AND, List.of(DIABETES,
                new Group(Group.Operator.NOT, List.of(new Criterion(CriterionType.MEDICATION,
                        List.of(Code.parse("http://www.nlm.nih.gov/research/umls/rxnorm|860975")), null, null, null)))));
        assertThat(new CohortDefinition(INDEX, root).leaves()).hasSize(2).anyMatch(l -> l.startsWith("not medication"));
    }

    @Test
    void theAnchorIsTheFirstDatedCriterionOutsideNot() {
        Criterion women = new Criterion(CriterionType.DEMOGRAPHICS, List.of(), null, null,
                new Demographics("female", null, null, null, null, null));
        Criterion proc = new Criterion(CriterionType.PROCEDURE, List.of(Code.parse("s|p")), null, null, null);
        Group root = new Group(Group.Operator.AND, List.of(women, new Group(Group.Operator.NOT, List.of(proc)),
                DIABETES));
        assertThat(new CohortDefinition(INDEX, root).anchor()).contains(DIABETES);
        assertThat(new CohortDefinition(INDEX, women).anchor()).isEmpty();
        assertThat(new CohortDefinition(INDEX, new Sequence(proc, DIABETES, 3)).anchor()).contains(proc);
    }

    @Test
    void notAloneAtTheTopIsRefused() {
        Group not = new Group(Group.Operator.NOT, List.of(DIABETES));
        assertThatThrownBy(() -> new CohortDefinition(INDEX, not)).hasMessageStartingWith("EHR-0819");
        assertThatThrownBy(() -> new CohortDefinition(INDEX, new Group(Group.Operator.AND, List.of(not))))
                .hasMessageStartingWith("EHR-0819");
    }

    @Test
    void badPartsAreRefusedWithTheirCodes() {
        assertThatThrownBy(() -> CriterionType.parse("allergy")).hasMessageStartingWith("EHR-0806");
        assertThatThrownBy(() -> new Criterion(CriterionType.CONDITION, List.of(), null, null, null))
                .hasMessageStartingWith("EHR-0807");
        assertThatThrownBy(() -> Code.parse("44054006")).hasMessageStartingWith("EHR-0808");
        assertThatThrownBy(() -> ValueFilter.Comparator.parse(">>")).hasMessageStartingWith("EHR-0809");
        assertThatThrownBy(() -> new ValueFilter(ValueFilter.Comparator.GT, 8, " ")).hasMessageStartingWith("EHR-0809");
        assertThatThrownBy(() -> new Group(Group.Operator.NOT, List.of(DIABETES, DIABETES)))
                .hasMessageStartingWith("EHR-0805");
        assertThatThrownBy(() -> new Group(Group.Operator.OR, List.of())).hasMessageStartingWith("EHR-0804");
        assertThatThrownBy(() -> new TimeWindow(INDEX, INDEX.minusDays(1), null)).hasMessageStartingWith("EHR-0813");
        assertThatThrownBy(() -> new Demographics(null, 70, 40, null, null, null)).hasMessageStartingWith("EHR-0815");
        assertThatThrownBy(() -> new Demographics("f", null, null, null, null, null)).hasMessageStartingWith("EHR-0814");
        assertThatThrownBy(() -> new Criterion(CriterionType.CONDITION, List.of(Code.parse("a|b")), null,
                new ValueFilter(ValueFilter.Comparator.GT, 1, "%"), null)).hasMessageStartingWith("EHR-0818");
        assertThatThrownBy(() -> new Sequence(DIABETES, DIABETES, -1)).hasMessageStartingWith("EHR-0812");
    }

    @Test
    void encountersMayOmitCodesAndRelativeWindowsEndOnTheIndexDay() {
        Criterion any = new Criterion(CriterionType.ENCOUNTER, List.of(), new TimeWindow(null, null, 30), null, null);
        assertThat(any.window().start(INDEX)).isEqualTo(LocalDate.of(2024, 12, 2));
        assertThat(any.window().end(INDEX)).isEqualTo(LocalDate.of(2025, 1, 2));
    }
}
