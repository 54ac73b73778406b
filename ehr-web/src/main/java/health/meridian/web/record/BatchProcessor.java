package health.meridian.web.record;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * FHIR batch bundles: every entry on its own, in its own transaction (this bean is deliberately not
 * transactional); a failing entry gets its status and OperationOutcome in the response and the others still commit.
 */
@ApplicationScoped
public class BatchProcessor {

    @Inject
    BundleService bundles;

    public Bundle batch(Bundle bundle) {
        Bundle response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
        for (BundleEntryComponent entry : bundle.getEntry()) {
            Bundle single = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            single.addEntry(entry);
            try {
                response.addEntry(bundles.transaction(single).getEntryFirstRep());
            } catch (RuntimeException e) {
                response.addEntry(failure(e));
            }
        }
        return response;
    }

    private static BundleEntryComponent failure(RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof BaseServerResponseException)
                && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        int status = cause instanceof BaseServerResponseException b ? b.getStatusCode()
                : cause instanceof IllegalArgumentException ? 400 : 500;
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING).setDiagnostics(cause.getMessage());
        BundleEntryComponent entry = new BundleEntryComponent();
        entry.getResponse().setStatus(Integer.toString(status)).setOutcome(outcome);
        return entry;
    }
}
