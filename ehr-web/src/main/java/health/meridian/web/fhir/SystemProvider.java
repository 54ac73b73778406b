package health.meridian.web.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.Since;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.meridian.web.record.BundleService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;

/**
 * System-level interactions: {@code POST /fhir} with a transaction (all or nothing) or batch bundle, and
 * {@code GET /fhir/_history} (every type's versions within the caller's search scope, as type history).
 */
@Dependent
public class SystemProvider {

    @Inject
    BundleService bundles;
    @Inject
    BatchBundles batches;
    @Inject
    HistoryBundles histories;

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails request) {
        return bundle.getType() == Bundle.BundleType.BATCH ? batches.batch(bundle, request)
                : bundles.transaction(bundle);
    }

    @History
    public IBundleProvider systemHistory(@Since InstantType since, @Count Integer count, @Offset Integer offset) {
        return histories.systemPage(PageSize.since(since), offset == null ? 0 : offset, PageSize.of(count));
    }
}
