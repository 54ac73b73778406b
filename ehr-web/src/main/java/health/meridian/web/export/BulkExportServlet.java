package health.meridian.web.export;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.export.ExportJobRepository.Chunk;
import health.meridian.web.security.AccessDeniedException;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Status and files of a bulk export (Bulk Data Access v2): {@code GET /fhir/$export-poll-status?_jobId=} answers
 * 202 with {@code X-Progress} and {@code Retry-After} while the job runs, 200 with the manifest when it is complete,
 * 500 with an OperationOutcome when it failed; {@code DELETE} on it cancels (202; the status is 404 after).
 * {@code GET /fhir/$export-file?_jobId=&type=&part=} is one ndjson output file. A job that is not the caller's,
 * expired or cancelled is 404 like one that never was. Translation only: {@link BulkExportService} decides and does.
 */
@WebServlet(urlPatterns = {"/fhir/$export-poll-status", "/fhir/$export-file"})
public class BulkExportServlet extends HttpServlet {

    private static final int PAGE = 200;

    @Inject
    BulkExportService exports;
    @Inject
    FhirContext fhir;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        answer(resp, () -> {
            UUID id = jobId(req);
            if (req.getServletPath().endsWith("$export-poll-status")) {
                ExportManifest.status(resp, base(req), exports.status(id));
            } else {
                file(resp, id, req.getParameter("type"), part(req));
            }
        });
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        answer(resp, () -> {
            if (!req.getServletPath().endsWith("$export-poll-status")) {
                resp.sendError(405);
                return;
            }
            exports.cancel(jobId(req));
            resp.setStatus(202);
            outcome(resp, OperationOutcome.IssueSeverity.INFORMATION, "informational", "export job cancelled");
        });
    }

    /** The file's chunks, page by page (each page its own short transaction). */
    private void file(HttpServletResponse resp, UUID id, String type, int part) throws IOException {
        List<Chunk> page = exports.file(id, type, part, 0, PAGE);
        if (page.isEmpty()) {
            throw new BulkExportService.UnknownJobException("EHR-1138 no such export file");
        }
        resp.setContentType("application/fhir+ndjson");
        resp.setCharacterEncoding("UTF-8");
        PrintWriter out = resp.getWriter();
        while (!page.isEmpty()) {
            page.forEach(c -> out.write(c.content()));
            page = page.size() < PAGE ? List.of() : exports.file(id, type, part, page.get(page.size() - 1).seq(),
                    PAGE);
        }
    }

    private static int part(HttpServletRequest req) {
        try {
            return Integer.parseInt(String.valueOf(req.getParameter("part")));
        } catch (NumberFormatException e) {
            throw new BulkExportService.UnknownJobException("EHR-1138 no such export file");
        }
    }

    private static UUID jobId(HttpServletRequest req) {
        try {
            return UUID.fromString(String.valueOf(req.getParameter("_jobId")));
        } catch (IllegalArgumentException e) {
            throw new BulkExportService.UnknownJobException("EHR-1138 no export job " + req.getParameter("_jobId"));
        }
    }

    static String base(HttpServletRequest req) {
        String url = req.getRequestURL().toString();
        return url.substring(0, url.indexOf(req.getServletPath())) + "/fhir";
    }

    private interface Action {
        void run() throws IOException;
    }

    private void answer(HttpServletResponse resp, Action action) throws IOException {
        try {
            action.run();
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof BulkExportService.UnknownJobException)
                    && !(cause instanceof AccessDeniedException)) {
                cause = cause.getCause();
            }
            if (cause instanceof BulkExportService.UnknownJobException) {
                error(resp, 404, "not-found", cause.getMessage());
            } else if (cause instanceof AccessDeniedException) {
                error(resp, 403, "forbidden", cause.getMessage());
            } else {
                throw e;
            }
        }
    }

    private void error(HttpServletResponse resp, int status, String code, String message) throws IOException {
        resp.setStatus(status);
        outcome(resp, OperationOutcome.IssueSeverity.ERROR, code, message);
    }

    private void outcome(HttpServletResponse resp, OperationOutcome.IssueSeverity severity, String code,
                         String message) throws IOException {
        health.meridian.web.fhir.OutcomeResponses.write(fhir, resp, severity, code, message);
    }
}
