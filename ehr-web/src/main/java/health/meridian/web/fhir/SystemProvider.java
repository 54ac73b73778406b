package health.meridian.web.fhir;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import health.meridian.web.record.BatchProcessor;
import health.meridian.web.record.BundleService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.hl7.fhir.r4.model.Bundle;

/** System-level interactions at {@code POST /fhir}: transaction (all or nothing) and batch bundles. */
@Dependent
public class SystemProvider {

    @Inject
    BundleService bundles;
    @Inject
    BatchProcessor batches;

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle) {
        return bundle.getType() == Bundle.BundleType.BATCH ? batches.batch(bundle) : bundles.transaction(bundle);
    }
}
