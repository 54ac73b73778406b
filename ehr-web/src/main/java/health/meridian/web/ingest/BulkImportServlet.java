package health.meridian.web.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import health.meridian.domain.ingest.ImportLineError;
import health.meridian.web.security.AccessDeniedException;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;

/**
 * FHIR Bulk Data {@code $import} as servers implement it (HAPI's {@code $import}, the Bulk Data import proposal):
 * {@code POST /fhir/$import} with a Parameters body naming ndjson inputs ({@code input} parts {@code type} and
 * {@code url}, files of the server's import directory) or with an ndjson body ({@code Content-Type:
 * application/fhir+ndjson}, {@code ?_type=}) answers 202 with {@code Content-Location} to
 * {@code $import-poll-status?_jobId=}; that answers 202 with {@code X-Progress} and {@code Retry-After} while the
 * job loads, then 200 with the manifest (output counts per input, the error file {@code $import-errors}, the
 * validation report {@code $import-report}). Translation only: {@link BulkImportService} decides and does.
 */
@WebServlet(urlPatterns = {"/fhir/$import", "/fhir/$import-poll-status", "/fhir/$import-errors",
        "/fhir/$import-report", "/fhir/$import-jobs"})
public class BulkImportServlet extends HttpServlet {

    @Inject
    BulkImportService imports;
    @Inject
    FhirContext fhir;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.getServletPath().endsWith("$import")) {
            resp.sendError(405);
            return;
        }
        answer(resp, () -> {
            UUID id = imports.start(inputs(req), req.getRequestURL().toString(), crashAfter(req));
            resp.setStatus(202);
            resp.setHeader("Content-Location", base(req) + "/fhir/$import-poll-status?_jobId=" + id);
            outcome(resp, OperationOutcome.IssueSeverity.INFORMATION, "informational", "import job " + id
                    + " accepted");
        });
    }

    /** Cancels a job (the Bulk Data pattern: DELETE on the status URL answers 202; its status then answers 404). */
    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.getServletPath().endsWith("$import-poll-status")) {
            resp.sendError(405);
            return;
        }
        answer(resp, () -> {
            UUID id = jobId(req);
            boolean cancelled = imports.cancel(id);
            resp.setStatus(202);
            outcome(resp, OperationOutcome.IssueSeverity.INFORMATION, "informational", cancelled
                    ? "EHR-1041 import job " + id + " cancelled; what it committed before stays"
                    : "EHR-1042 import job " + id + " had already ended; nothing to cancel");
        });
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath();
        answer(resp, () -> {
            if (path.endsWith("$import-jobs")) {
                ImportManifest.jobs(resp, imports.recent());
                return;
            }
            UUID id = jobId(req);
            if (path.endsWith("$import-poll-status")) {
                ImportManifest.status(resp, base(req), imports.status(id));
            } else if (path.endsWith("$import-errors")) {
                lines(resp, (o, l) -> imports.errors(id, o, l, 1000));
            } else if (path.endsWith("$import-report")) {
                lines(resp, (o, l) -> imports.issues(id, o, l, 1000));
            } else {
                resp.sendError(405);
            }
        });
    }

    private interface Page {
        List<ImportLineError> after(int ordinal, int line);
    }

    /** An ndjson file of OperationOutcomes, in input and line order. */
    private static void lines(HttpServletResponse resp, Page page) throws IOException {
        resp.setContentType("application/fhir+ndjson");
        resp.setCharacterEncoding("UTF-8");
        PrintWriter out = resp.getWriter();
        int ordinal = -1;
        int line = 0;
        List<ImportLineError> next;
        while (!(next = page.after(ordinal, line)).isEmpty()) {
            for (ImportLineError e : next) {
                out.write(e.outcomeJson());
                out.write('\n');
                ordinal = e.ordinal();
                line = e.line();
            }
        }
    }

    private List<BulkImportService.Input> inputs(HttpServletRequest req) throws IOException {
        String contentType = req.getContentType() == null ? "" : req.getContentType();
        if (contentType.contains("ndjson")) {
            String type = req.getParameter("_type");
            if (type == null || type.isBlank() || type.contains(",")) {
                throw new IllegalArgumentException("EHR-1004 an uploaded ndjson body needs ?_type= (one resource type)");
            }
            return List.of(new BulkImportService.Input(type, null, new String(req.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        Parameters parameters;
        try {
            parameters = fhir.newJsonParser().parseResource(Parameters.class, req.getReader());
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("EHR-1000 expected a Parameters resource: " + e.getMessage());
        }
        List<BulkImportService.Input> inputs = new ArrayList<>();
        for (ParametersParameterComponent p : parameters.getParameter()) {
            if ("inputFormat".equals(p.getName()) && (p.getValue() == null
                    || !String.valueOf(p.getValue().primitiveValue()).contains("ndjson"))) {
                throw new IllegalArgumentException("EHR-1001 inputFormat must be application/fhir+ndjson");
            }
            if ("input".equals(p.getName())) {
                inputs.add(new BulkImportService.Input(part(p, "type"), part(p, "url"), null));
            }
        }
        return inputs;
    }

    private static String part(ParametersParameterComponent input, String name) {
        return input.getPart().stream().filter(q -> name.equals(q.getName()) && q.getValue() != null)
                .map(q -> q.getValue().primitiveValue()).findFirst().orElseThrow(() ->
                        new IllegalArgumentException("EHR-1000 each input has a " + name));
    }

    private static Integer crashAfter(HttpServletRequest req) {
        String v = req.getParameter("_crashAfterChunks");
        return v == null ? null : Integer.valueOf(v);
    }

    private static UUID jobId(HttpServletRequest req) {
        try {
            return UUID.fromString(String.valueOf(req.getParameter("_jobId")));
        } catch (IllegalArgumentException e) {
            throw new BulkImportService.UnknownJobException(new UUID(0, 0));
        }
    }

    static String base(HttpServletRequest req) {
        String url = req.getRequestURL().toString();
        return url.substring(0, url.indexOf(req.getServletPath()));
    }

    private interface Action {
        void run() throws IOException;
    }

    private void answer(HttpServletResponse resp, Action action) throws IOException {
        try {
            action.run();
        } catch (BulkImportService.UnknownJobException e) {
            error(resp, 404, "not-found", e.getMessage());
        } catch (AccessDeniedException e) {
            error(resp, 403, "forbidden", e.getMessage());
        } catch (IllegalArgumentException | jakarta.transaction.TransactionalException e) {
            Throwable cause = e instanceof jakarta.transaction.TransactionalException && e.getCause() != null
                    ? e.getCause() : e;
            if (cause instanceof AccessDeniedException) {
                error(resp, 403, "forbidden", cause.getMessage());
            } else if (cause instanceof BulkImportService.UnknownJobException) {
                error(resp, 404, "not-found", cause.getMessage());
            } else {
                error(resp, 400, "invalid", cause.getMessage());
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
