package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntryTransactionMethodEnum;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/** A stored version as a history entry: versioned id, the request that made it, custodian tag; deletions bare. */
class HistoryBundlesTest {

    private static final FhirContext FHIR = FhirContext.forR4();
    private static final RecordEnvelope ENVELOPE = new RecordEnvelope(null, null, List.of(), List.of(), List.of(),
            List.of(), null);
    private static final String JSON = "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"status\":\"final\","
            + "\"code\":{\"text\":\"x\"}}";

    private final HistoryBundles bundles = bundles();

    private static HistoryBundles bundles() {
        HistoryBundles b = new HistoryBundles();
        b.fhir = FHIR;
        b.resources = new RecordResources(FHIR);
        return b;
    }

    private static StoredResource version(int n, String json) {
        return new StoredResource(new ResourceKey(TenantId.of("nl-amstel"), "Observation", "o1"), n, "anna",
                json == null, json, Instant.now(), ENVELOPE);
    }

    @Test
    void versionsCarryTheirVersionedIdAndTheRequestThatMadeThem() {
        IBaseResource first = bundles.entry(version(1, JSON));
        assertThat(first.getIdElement().getValue()).isEqualTo("Observation/o1/_history/1");
        assertThat(ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.get(first))
                .isEqualTo(BundleEntryTransactionMethodEnum.POST);
        assertThat(((Observation) first).getMeta().getTag(CustodianTag.SYSTEM, "nl-amstel")).isNotNull();
        assertThat(ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.get(bundles.entry(version(2, JSON))))
                .isEqualTo(BundleEntryTransactionMethodEnum.PUT);
    }

    @Test
    void aDeletionIsADeleteEntryWithAnEmptyResourceOfTheType() {
        IBaseResource deleted = bundles.entry(version(3, null));
        assertThat(deleted).isInstanceOf(Observation.class);
        assertThat(deleted.getIdElement().getValue()).isEqualTo("Observation/o1/_history/3");
        assertThat(ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.get(deleted))
                .isEqualTo(BundleEntryTransactionMethodEnum.DELETE);
        assertThat(((Observation) deleted).hasStatus()).isFalse();
    }
}
