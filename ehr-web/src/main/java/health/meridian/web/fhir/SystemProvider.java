package health.meridian.web.fhir;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import health.meridian.web.record.BundleService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.hl7.fhir.r4.model.Bundle;

/** System-level interactions at {@code POST /fhir}: transaction bundles (all or nothing). */
@Dependent
public class SystemProvider {

    @Inject
    BundleService bundles;

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle) {
        return bundles.transaction(bundle);
    }
}
