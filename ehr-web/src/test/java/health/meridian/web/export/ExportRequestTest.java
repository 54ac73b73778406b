package health.meridian.web.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.export.ExportJob;
import health.meridian.domain.record.ResourceCatalogue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportRequestTest {

    private static final ResourceCatalogue CATALOGUE = new ResourceCatalogue(FhirContext.forR4Cached());

    private static ExportRequest of(Map<String, List<String>> params, String prefer) {
        return ExportRequest.of(ExportJob.Level.SYSTEM, null, params, prefer, "http://x/fhir/$export", CATALOGUE);
    }

    @Test
    void readsTypesSinceAndTheNdjsonFormats() {
        ExportRequest r = of(Map.of("_type", List.of("Patient, Observation", "Patient"), "_since",
                List.of("2024-01-01T00:00:00Z"), "_outputFormat", List.of("application/fhir+ndjson")), "respond-async");
        assertThat(r.types()).containsExactly("Patient", "Observation");
        assertThat(r.since()).hasToString("2024-01-01T00:00:00Z");
        for (String format : List.of("ndjson", "application/ndjson")) {
            assertThat(of(Map.of("_outputFormat", List.of(format)), "respond-async").types()).isEmpty();
        }
    }

    @Test
    void refusesWithStableCodes() {
        assertThatThrownBy(() -> of(Map.of(), null)).hasMessageStartingWith("EHR-1130");
        assertThatThrownBy(() -> of(Map.of(), "return=minimal")).hasMessageStartingWith("EHR-1130");
        assertThatThrownBy(() -> of(Map.of("_outputFormat", List.of("text/csv")), "respond-async"))
                .hasMessageStartingWith("EHR-1131");
        assertThatThrownBy(() -> of(Map.of("_type", List.of("Patient,Nope")), "respond-async"))
                .hasMessageStartingWith("EHR-1132");
        assertThatThrownBy(() -> of(Map.of("_type", List.of("Bundle")), "respond-async"))
                .hasMessageStartingWith("EHR-1132");
        assertThatThrownBy(() -> of(Map.of("_since", List.of("yesterday")), "respond-async"))
                .hasMessageStartingWith("EHR-1137");
        assertThatThrownBy(() -> of(Map.of("_elements", List.of("id")), "respond-async"))
                .hasMessageStartingWith("EHR-1136");
        assertThatThrownBy(() -> of(Map.of("_typeFilter", List.of("Observation")), "respond-async"))
                .hasMessageStartingWith("EHR-1142");
    }

    @Test
    void readsTypeFiltersCheckedAgainstTheTypes() {
        ExportRequest r = of(Map.of("_type", List.of("Observation,Condition"), "_typeFilter",
                List.of("Observation?code=http://loinc.org|8480-6")), "respond-async");
        assertThat(r.typeFilters()).extracting(TypeFilter::query)
                .containsExactly("Observation?code=http://loinc.org|8480-6");
        assertThatThrownBy(() -> of(Map.of("_type", List.of("Condition"), "_typeFilter",
                List.of("Observation?code=x")), "respond-async")).hasMessageStartingWith("EHR-1143");
    }
}
