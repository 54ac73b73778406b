package health.meridian.web.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.meridian.web.record.BundleService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * FHIR batch bundles: every entry on its own, in its own transaction (this bean is deliberately not
 * transactional). GET entries are reads and searches answered as the same request outside a batch would be
 * ({@link BatchReads}); the others are writes ({@link BundleService#batchEntry}). A failing entry gets its status
 * and an OperationOutcome naming its place in the batch, and the others still commit.
 */
@ApplicationScoped
public class BatchBundles {

    @Inject
    BundleService bundles;
    @Inject
    BatchReads reads;

    public Bundle batch(Bundle bundle, RequestDetails request) {
        Bundle response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            BundleEntryComponent entry = bundle.getEntry().get(i);
            try {
                response.addEntry(isRead(entry) ? reads.answer(i, entry, request) : bundles.batchEntry(i, entry));
            } catch (RuntimeException e) {
                response.addEntry(failure(i, e));
            }
        }
        return response;
    }

    private static boolean isRead(BundleEntryComponent entry) {
        return entry.hasRequest() && entry.getRequest().getMethod() == Bundle.HTTPVerb.GET;
    }

    /** The entry's error as the status and OperationOutcome the same request alone would have got. */
    private static BundleEntryComponent failure(int index, RuntimeException e) {
        BaseServerResponseException answer = ExceptionTranslationInterceptor.asFhir(e);
        String message = answer.getMessage() == null ? "" : answer.getMessage().replaceFirst("^HTTP \\d+ [^:]*: ", "");
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(answer.getStatusCode() == 412 ? OperationOutcome.IssueType.CONFLICT
                        : OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(message.contains("entry " + index) ? message : message + " (entry " + index + ")")
                .addExpression("Bundle.entry[" + index + "]");
        BundleEntryComponent entry = new BundleEntryComponent();
        entry.getResponse().setStatus(Integer.toString(answer.getStatusCode())).setOutcome(outcome);
        return entry;
    }
}
