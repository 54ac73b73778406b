package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class BundleConformanceTest {

    @Test
    void aLongSearchIdIsReplacedByAFhirIdAndEntriesGetTheirMode() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.setId("eyJ0eXBlIjoiUGF0aWVudCIsInBhcmFtcyI6eyJmYW1pbHkiOlsiTcO8bGxlciJdfSwiY291bnQiOjIwLCJzb3J0Ijpb"
                + "XSwiaW5jbHVkZXMiOltdLCJyZXZJbmNsdWRlcyI6W119_eyJ0eXBlIjoiUGF0aWVudCIsInBhcmFtcyI6eyJmYW1pbHkiOlsi");
        bundle.addEntry().setFullUrl("http://x/fhir/Patient/a").setResource(new Patient().setActive(true).setId("a"));
        bundle.addEntry().setFullUrl("http://x/fhir/Patient/b").setResource(new Patient().setActive(true).setId("b"))
                .getSearch().setMode(Bundle.SearchEntryMode.INCLUDE);
        BundleConformance.conform(bundle);
        assertThat(bundle.getIdElement().getIdPart()).matches("[A-Za-z0-9\\-.]{1,64}");
        assertThat(bundle.getEntry().get(0).getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.MATCH);
        assertThat(bundle.getEntry().get(1).getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.INCLUDE);
        assertThat(R4Validation.errors(ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                .encodeResourceToString(bundle))).isEmpty();
    }

    @Test
    void aValidIdAndOtherBundleTypesKeepWhatTheyHave() {
        Bundle history = new Bundle().setType(Bundle.BundleType.HISTORY);
        history.setId("f6b1c0de-1234");
        history.addEntry().setResource(new Patient());
        BundleConformance.conform(history);
        assertThat(history.getIdElement().getIdPart()).isEqualTo("f6b1c0de-1234");
        assertThat(history.getEntry().get(0).getSearch().hasMode()).isFalse();
    }
}
