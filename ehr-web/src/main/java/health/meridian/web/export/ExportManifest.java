package health.meridian.web.export;

import health.meridian.domain.export.ExportJob;
import health.meridian.domain.export.ExportJobRepository.FileSummary;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The status answers of a bulk export: in progress (202), the complete manifest (200), or the failure (500). */
final class ExportManifest {

    private ExportManifest() {
    }

    static void status(HttpServletResponse resp, String fhirBase, BulkExportService.ExportStatus status)
            throws IOException {
        ExportJob job = status.job();
        resp.setCharacterEncoding("UTF-8");
        if (job.status().active()) {
            resp.setStatus(202);
            resp.setHeader("X-Progress", job.status().code() + ": " + job.personsDone() + " of "
                    + job.persons().size() + " patients exported");
            resp.setHeader("Retry-After", "2");
            return;
        }
        if (job.status() == ExportJob.Status.FAILED) {
            resp.setStatus(500);
            resp.setContentType("application/fhir+json");
            resp.getWriter().write(Json.createObjectBuilder().add("resourceType", "OperationOutcome")
                    .add("issue", Json.createArrayBuilder().add(Json.createObjectBuilder().add("severity", "error")
                            .add("code", "exception").add("diagnostics", String.valueOf(job.message()))))
                    .build().toString());
            return;
        }
        resp.setStatus(200);
        resp.setContentType("application/json");
        resp.setHeader("Expires", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                job.expiresAt().atZone(java.time.ZoneOffset.UTC)));
        JsonArrayBuilder output = Json.createArrayBuilder();
        for (FileSummary f : status.files()) {
            output.add(Json.createObjectBuilder().add("type", f.type()).add("url", fhirBase + "/$export-file?_jobId="
                    + job.id() + "&type=" + URLEncoder.encode(f.type(), StandardCharsets.UTF_8) + "&part=" + f.part())
                    .add("count", f.lines()));
        }
        resp.getWriter().write(Json.createObjectBuilder()
                .add("transactionTime", job.transactionTime().toString())
                .add("request", job.requestUrl())
                .add("requiresAccessToken", true)
                .add("output", output)
                .add("error", Json.createArrayBuilder())
                .build().toString());
    }
}
