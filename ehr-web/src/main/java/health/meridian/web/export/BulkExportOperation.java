package health.meridian.web.export;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import health.meridian.domain.export.ExportJob;
import health.meridian.domain.record.EnvelopeExtractor;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.StringType;

/**
 * The Bulk Data Access v2 kick-offs: {@code [base]/$export}, {@code Patient/$export} and {@code Group/[id]/$export}
 * (a saved cohort of the caller's institution), by GET or POST, with {@code _type}, {@code _since},
 * {@code _typeFilter} ({@link TypeFilter}) and {@code _outputFormat}; {@code Prefer: respond-async} required. Answers 202 with {@code Content-Location} naming
 * the status URL ({@link BulkExportServlet}). Translation only: {@link BulkExportService} decides and does.
 */
@Dependent
public class BulkExportOperation {

    private static final int MANY = OperationParam.MAX_UNLIMITED;

    @Inject
    BulkExportService exports;
    @Inject
    EnvelopeExtractor extractor;

    @Operation(name = "$export", idempotent = true, manualResponse = true)
    public void system(@OperationParam(name = "_type", max = MANY) List<StringType> type,
                       @OperationParam(name = "_since", max = 1) StringType since,
                       @OperationParam(name = "_outputFormat", max = 1) StringType format,
                       @OperationParam(name = "_typeFilter", max = MANY) List<StringType> typeFilter,
                       ServletRequestDetails request) throws IOException {
        kickOff(ExportJob.Level.SYSTEM, null, params(type, since, format, typeFilter), request);
    }

    @Operation(name = "$export", typeName = "Patient", idempotent = true, manualResponse = true)
    public void patients(@OperationParam(name = "_type", max = MANY) List<StringType> type,
                         @OperationParam(name = "_since", max = 1) StringType since,
                         @OperationParam(name = "_outputFormat", max = 1) StringType format,
                         @OperationParam(name = "_typeFilter", max = MANY) List<StringType> typeFilter,
                         ServletRequestDetails request) throws IOException {
        kickOff(ExportJob.Level.PATIENT, null, params(type, since, format, typeFilter), request);
    }

    @Operation(name = "$export", typeName = "Group", idempotent = true, manualResponse = true)
    public void group(@IdParam IdType id,
                      @OperationParam(name = "_type", max = MANY) List<StringType> type,
                      @OperationParam(name = "_since", max = 1) StringType since,
                      @OperationParam(name = "_outputFormat", max = 1) StringType format,
                      @OperationParam(name = "_typeFilter", max = MANY) List<StringType> typeFilter,
                      ServletRequestDetails request) throws IOException {
        kickOff(ExportJob.Level.GROUP, id.getIdPart(), params(type, since, format, typeFilter), request);
    }

    private void kickOff(ExportJob.Level level, String groupId, Map<String, List<String>> params,
                         ServletRequestDetails request) throws IOException {
        ExportRequest asked = ExportRequest.of(level, groupId, params, request.getHeader("Prefer"),
                request.getCompleteUrl(), extractor.catalogue());
        UUID id;
        try {
            id = exports.start(asked);
        } catch (BulkExportService.UnknownJobException e) {
            throw new ResourceNotFoundException(e.getMessage());
        }
        HttpServletResponse response = request.getServletResponse();
        response.setStatus(202);
        response.setHeader("Content-Location", statusUrl(request, id));
        response.setContentType("application/fhir+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"information\","
                + "\"code\":\"informational\",\"diagnostics\":\"export job " + id + " accepted\"}]}");
    }

    static String statusUrl(ServletRequestDetails request, UUID id) {
        return request.getFhirServerBase() + "/$export-poll-status?_jobId=" + id;
    }

    private static Map<String, List<String>> params(List<StringType> type, StringType since, StringType format,
                                                    List<StringType> typeFilter) {
        Map<String, List<String>> params = new HashMap<>();
        params.put("_type", values(type));
        params.put("_typeFilter", values(typeFilter));
        if (since != null && since.getValue() != null) {
            params.put("_since", List.of(since.getValue()));
        }
        if (format != null && format.getValue() != null) {
            // a '+' sent unencoded in a query string arrives as a space
            params.put("_outputFormat", List.of(format.getValue().trim().replace(' ', '+')));
        }
        return params;
    }

    private static List<String> values(List<StringType> values) {
        return values == null ? List.of() : values.stream().map(StringType::getValue)
                .filter(java.util.Objects::nonNull).toList();
    }
}
