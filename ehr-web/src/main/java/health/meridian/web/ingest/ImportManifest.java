package health.meridian.web.ingest;

import health.meridian.domain.ingest.ImportInput;
import health.meridian.domain.ingest.ImportJob;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The answers of {@code $import-poll-status}: while the job loads, 202 with {@code X-Progress} and
 * {@code Retry-After}; once loaded, 200 with the manifest (Bulk Data's shape: {@code transactionTime},
 * {@code request}, {@code output} per input with its count, {@code error} the error file), plus the background
 * validation's state and report under {@code extension}; a failed job 500 with its OperationOutcome.
 */
final class ImportManifest {

    static final String VALIDATION = "https://meridian.health/fhir/StructureDefinition/import-validation";

    private ImportManifest() {
    }

    static void status(HttpServletResponse resp, String base, BulkImportService.JobView view) throws IOException {
        ImportJob job = view.job();
        String poll = base + "/fhir/$import-poll-status?_jobId=" + job.id();
        resp.setHeader("Content-Location", poll);
        if (job.phase() == ImportJob.Phase.FAILED) {
            resp.setStatus(500);
            write(resp, Json.createObjectBuilder().add("resourceType", "OperationOutcome").add("issue",
                    Json.createArrayBuilder().add(Json.createObjectBuilder().add("severity", "error")
                            .add("code", "exception").add("diagnostics", String.valueOf(job.message())))));
            return;
        }
        if (job.phase() == ImportJob.Phase.CANCELLED) {
            resp.setStatus(404);
            write(resp, Json.createObjectBuilder().add("resourceType", "OperationOutcome").add("issue",
                    Json.createArrayBuilder().add(Json.createObjectBuilder().add("severity", "error")
                            .add("code", "not-found").add("diagnostics", "EHR-1041 import job " + job.id()
                                    + " was cancelled: " + job.committed() + " resources stored before the cancel"
                                    + " stay, " + job.failed() + " lines refused"))));
            return;
        }
        if (job.phase() == ImportJob.Phase.QUEUED || job.phase() == ImportJob.Phase.LOADING) {
            resp.setStatus(202);
            resp.setHeader("X-Progress", job.phase().code() + ": " + job.committed() + " resources stored, "
                    + job.failed() + " lines refused");
            resp.setHeader("Retry-After", "2");
            return;
        }
        resp.setStatus(200);
        JsonArrayBuilder output = Json.createArrayBuilder();
        for (ImportInput in : view.inputs()) {
            output.add(Json.createObjectBuilder().add("type", in.resourceType()).add("inputUrl", in.source())
                    .add("count", in.committed()));
        }
        JsonObjectBuilder validation = Json.createObjectBuilder()
                .add("status", job.phase() == ImportJob.Phase.COMPLETE ? "complete" : "in-progress")
                .add("validated", job.validated()).add("quarantined", job.quarantined())
                .add("url", base + "/fhir/$import-report?_jobId=" + job.id());
        write(resp, Json.createObjectBuilder()
                .add("transactionTime", String.valueOf(job.loadedAt() == null ? Instant.now() : job.loadedAt()))
                .add("request", String.valueOf(job.requestUrl()))
                .add("requiresAccessToken", true)
                .add("output", output)
                .add("error", Json.createArrayBuilder().add(Json.createObjectBuilder().add("type", "OperationOutcome")
                        .add("url", base + "/fhir/$import-errors?_jobId=" + job.id()).add("count", job.failed())))
                .add("extension", Json.createObjectBuilder().add(VALIDATION, validation)));
    }

    /** The institution's recent jobs, newest first (for the admin console). */
    static void jobs(HttpServletResponse resp, List<ImportJob> jobs) throws IOException {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (ImportJob j : jobs) {
            list.add(Json.createObjectBuilder().add("id", j.id().toString()).add("status", j.phase().code())
                    .add("created", String.valueOf(j.createdAt())).add("committed", j.committed())
                    .add("failed", j.failed()).add("validated", j.validated()).add("quarantined", j.quarantined())
                    .add("runs", j.runs()));
        }
        write(resp, Json.createObjectBuilder().add("jobs", list));
    }

    private static void write(HttpServletResponse resp, JsonObjectBuilder body) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(body.build().toString());
    }
}
