package health.meridian.web.fhir;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome;

/** An OperationOutcome written by a plain servlet (the bulk status endpoints), outside HAPI's RestfulServer. */
public final class OutcomeResponses {

    private OutcomeResponses() {
    }

    /** One issue as the response body ({@code application/fhir+json}); the status is the caller's to set. */
    public static void write(FhirContext fhir, HttpServletResponse resp, OperationOutcome.IssueSeverity severity,
                             String code, String message) throws IOException {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(severity).setCode(OperationOutcome.IssueType.fromCode(code)).setDiagnostics(message);
        resp.setContentType("application/fhir+json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(fhir.newJsonParser().encodeResourceToString(oo));
    }
}
