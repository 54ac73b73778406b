package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** Every stored record leaves the server tagged with its custodian, whichever way it is read. */
class RecordResourcesTest {

    private static final RecordResources RESOURCES = new RecordResources(FhirContext.forR4());
    private static final RecordEnvelope NO_ENVELOPE = new RecordEnvelope(null, null, List.of(), List.of(), List.of(),
            List.of(), null);

    private static StoredResource stored(String json) {
        return new StoredResource(new ResourceKey(TenantId.of("de-spree"), "Observation", "o1"), 1, "anna",
                json == null, json, Instant.now(), NO_ENVELOPE);
    }

    @Test
    void aStoredVersionCarriesItsCustodianOnceEvenIfTheStoredJsonHadAnotherTag() {
        String json = "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"meta\":{\"tag\":[{\"system\":"
                + "\"urn:meridian:custodian\",\"code\":\"forged\"},{\"system\":\"urn:x\",\"code\":\"keep\"}]},"
                + "\"status\":\"final\",\"code\":{\"text\":\"x\"}}";
        Observation o = RESOURCES.of(stored(json), Observation.class);
        assertThat(o.getMeta().getTag()).extracting(Coding::getSystem, Coding::getCode)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("urn:x", "keep"),
                        org.assertj.core.groups.Tuple.tuple(CustodianTag.SYSTEM, "de-spree"));
        Resource untyped = (Resource) RESOURCES.of(stored(json));
        assertThat(untyped.getMeta().getTag(CustodianTag.SYSTEM, "de-spree")).isNotNull();
        Resource hit = (Resource) RESOURCES.of(json, "nl-amstel");
        assertThat(hit.getMeta().getTag(CustodianTag.SYSTEM, "nl-amstel")).isNotNull();
    }

    @Test
    void aDeletionMarkerHasNoResource() {
        assertThatThrownBy(() -> RESOURCES.of(stored(null))).hasMessageStartingWith("EHR-0150");
    }
}
