package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.DiagnosticReport;

/** FHIR DiagnosticReport: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class DiagnosticReportResourceProvider extends RecordResourceProvider<DiagnosticReport> {

    @Override
    public Class<DiagnosticReport> getResourceType() {
        return DiagnosticReport.class;
    }
}
