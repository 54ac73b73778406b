package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.DiagnosticReport;

/** FHIR DiagnosticReport: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class DiagnosticReportResourceProvider extends ClinicalResourceProvider<DiagnosticReport> {

    @Override
    public Class<DiagnosticReport> getResourceType() {
        return DiagnosticReport.class;
    }
}
