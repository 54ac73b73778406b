package health.meridian.web.smart;

import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.Institution;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.SearchResult;
import health.meridian.web.fhir.search.SearchTranslator;
import health.meridian.web.record.RecordService;
import health.meridian.web.record.SearchService;
import health.meridian.web.record.TenantService;
import health.meridian.web.security.AccessDeniedException;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.Caller;
import health.meridian.web.security.CurrentCaller;
import health.meridian.web.security.SmartLaunches;
import health.meridian.web.security.SmartPickerTickets;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The SMART patient picker of a standalone launch (ADR 0032), {@value CurrentCaller#PICKER_PATH}. Keycloak's picker
 * action sends the signed-in user here with a {@link SmartPickerTickets ticket} (their identity, the app, the URL to
 * return to); the ticket is the only credential this page accepts, and no other endpoint accepts a ticket.
 * <ul>
 *   <li>{@code GET ?ticket=…[&name=…]}: a patient sees their own Patient records (one per institution that holds
 *       them); a clinician or nurse searches by name among the patients the access seam lets them read (an ordinary,
 *       audited search).</li>
 *   <li>{@code POST ticket, patient}: the Patient is read through the seam (audited as {@code smart-launch}; one the
 *       caller may not read is "not found"); a patient may choose only a record of their own person. Meridian then
 *       signs a launch value for it ({@link SmartLaunches}, as {@code POST /api/smart/launches} does for the chart)
 *       and sends the browser back to the realm's login-actions URL with {@code meridian_launch}. {@code cancel}
 *       returns without one (the app gets no patient context).</li>
 * </ul>
 * Errors: a ticket that is not valid {@code EHR-1156} (400), a caller who may not choose {@code EHR-1157} (403), a
 * malformed patient id {@code EHR-1158} (400), a patient not found {@code EHR-1159} (404), no search index
 * {@code EHR-1160} (503).
 */
@WebServlet(urlPatterns = CurrentCaller.PICKER_PATH)
public class SmartPickerServlet extends HttpServlet {

    private static final String FHIR_ID = "[A-Za-z0-9\\-.]{1,64}";

    @Inject
    SmartPickerTickets tickets;
    @Inject
    AccessSeam seam;
    @Inject
    RecordService records;
    @Inject
    SearchService search;
    @Inject
    SmartLaunches launches;
    @Inject
    SmartApps apps;
    @Inject
    TenantService tenants;
    @Inject
    @ConfigProperty(name = "meridian.oidc.issuer")
    Optional<String> issuer;

    /** One patient the caller may choose. */
    record Choice(String id, String name, String birthDate, String gender, String institution) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        headers(response);
        Optional<SmartPickerTickets.Ticket> ticket = admit(request, response);
        if (ticket.isEmpty()) {
            return;
        }
        Caller caller = choosing(request, response, ticket.get());
        if (caller == null) {
            return;
        }
        boolean patient = !seamSaysStaff(caller);
        String name = trimmed(request.getParameter("name"));
        List<Choice> choices = List.of();
        String message = null;
        try {
            if (patient) {
                choices = choices(List.of());
            } else if (name != null && name.length() >= 2) {
                choices = choices(List.of(new SearchTranslator("Patient", null).criterion("name", name)));
                message = choices.isEmpty() ? "No patient found by that name among those you may see." : null;
            } else if (name != null) {
                message = "Type at least two letters of the name.";
            }
        } catch (IndexUnavailableException e) {
            page(response, 503, ticket.get(), caller, List.of(), name, "EHR-1160 patients cannot be searched right"
                    + " now (the search index cannot be reached). Try again in a moment.");
            return;
        } catch (RuntimeException e) {
            message = "That name cannot be searched.";
        }
        page(response, 200, ticket.get(), caller, choices, name, message);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        headers(response);
        Optional<SmartPickerTickets.Ticket> ticket = admit(request, response);
        if (ticket.isEmpty()) {
            return;
        }
        if (request.getParameter("cancel") != null) {
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", ticket.get().returnUrl() + "&meridian_launch_cancelled=1");
            return;
        }
        Caller caller = choosing(request, response, ticket.get());
        if (caller == null) {
            return;
        }
        String id = request.getParameter("patient");
        if (id == null || !id.matches(FHIR_ID)) {
            page(response, 400, ticket.get(), caller, List.of(), null, "EHR-1158 a patient is chosen by its FHIR id.");
            return;
        }
        boolean patient = !seamSaysStaff(caller);
        Optional<StoredResource> chosen = records.readAs("smart-launch", "Patient", id)
                .filter(p -> !p.deleted() && p.personId() != null)
                .filter(p -> !patient || p.personId().equals(caller.personId().orElse(null)));
        if (chosen.isEmpty()) {
            page(response, 404, ticket.get(), caller, List.of(), null, "EHR-1159 Patient/" + id + " was not found.");
            return;
        }
        String tenant = patient ? chosen.get().key().tenant().value() : caller.requireTenant().value();
        String launch = launches.create(id, chosen.get().personId(), tenant, caller.subject(),
                ticket.get().client(), Instant.now());
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", ticket.get().returnUrl() + "&meridian_launch="
                + URLEncoder.encode(launch, StandardCharsets.UTF_8));
    }

    /** The verified ticket of the request (parameter {@code ticket}), else a 400 page and empty. */
    private Optional<SmartPickerTickets.Ticket> admit(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String base = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()
                + request.getContextPath();
        Optional<SmartPickerTickets.Ticket> ticket = tickets.verify(request.getParameter("ticket"), base);
        if (ticket.isEmpty()) {
            page(response, 400, null, null, List.of(), null, "EHR-1156 this sign-in link is not valid or has"
                    + " expired. Go back to the app and start it again.");
            return Optional.empty();
        }
        request.setAttribute(CurrentCaller.PICKER_CALLER, CurrentCaller.ofPickerTicket(ticket.get()));
        return ticket;
    }

    /** The caller, when the seam lets them choose (else a 403 page and null). */
    private Caller choosing(HttpServletRequest request, HttpServletResponse response,
                            SmartPickerTickets.Ticket ticket) throws IOException {
        try {
            return seam.requirePicker();
        } catch (AccessDeniedException e) {
            page(response, 403, ticket, null, List.of(), null, e.getMessage() + ".");
            return null;
        }
    }

    private static boolean seamSaysStaff(Caller caller) {
        return !(caller.roles().contains("patient") && caller.personId().isPresent());
    }

    private List<Choice> choices(List<RecordQuery.Criterion> criteria) throws IndexUnavailableException {
        SearchResult result = search.search(scope -> new RecordQuery(scope, List.of("Patient"), criteria, List.of(),
                50, List.of(), List.of(), false, true));
        Map<String, String> institutions = institutionNames();
        List<Choice> found = new ArrayList<>();
        for (SearchResult.Hit hit : result.hits()) {
            if (hit.json() == null) {
                continue;
            }
            JsonObject p = Json.createReader(new StringReader(hit.json())).readObject();
            found.add(new Choice(hit.id(), nameOf(p), p.getString("birthDate", ""), p.getString("gender", ""),
                    institutions.getOrDefault(hit.tenant(), hit.tenant())));
        }
        return found;
    }

    /**
     * The institutions' display names by tenant id, from the registry the chart's banner and timeline name them from
     * (issue #20: the picker showed "nl-amstel"); an unregistered tenant keeps its id.
     */
    private Map<String, String> institutionNames() {
        return tenants.all().stream().collect(Collectors.toMap(i -> i.id().value(), Institution::name, (a, b) -> a));
    }

    static String nameOf(JsonObject patient) {
        if (!(patient.get("name") instanceof JsonArray names) || names.isEmpty()) {
            return "(no name)";
        }
        JsonObject n = names.getJsonObject(0);
        if (n.get("text") instanceof JsonString t) {
            return t.getString();
        }
        List<String> parts = new ArrayList<>();
        if (n.get("given") instanceof JsonArray given) {
            for (JsonValue g : given) {
                if (g instanceof JsonString s) {
                    parts.add(s.getString());
                }
            }
        }
        if (n.get("family") instanceof JsonString f) {
            parts.add(f.getString());
        }
        return parts.isEmpty() ? "(no name)" : String.join(" ", parts);
    }

    private void headers(HttpServletResponse response) {
        String keycloak = issuer.map(i -> URI.create(i)).map(u -> u.getScheme() + "://" + u.getAuthority())
                .orElse("'none'");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline';"
                + " form-action 'self' " + keycloak + "; frame-ancestors 'none'; base-uri 'none'");
    }

    private void page(HttpServletResponse response, int status, SmartPickerTickets.Ticket ticket, Caller caller,
                      List<Choice> choices, String name, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        boolean patient = caller != null && !seamSaysStaff(caller);
        String app = ticket == null ? null : apps.find(ticket.client()).map(SmartApps.App::name)
                .orElse(ticket.client());
        StringBuilder h = new StringBuilder(4096);
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Choose a patient — Meridian</title><style>").append(CSS).append("</style></head>")
                .append("<body><main class=\"picker\"><p class=\"brand\">Meridian</p>");
        if (ticket == null || caller == null) {
            h.append("<h1>Cannot choose a patient</h1>");
        } else {
            h.append("<h1>").append(patient ? "Which of your records may " : "Choose the patient for ")
                    .append("<span data-app>").append(esc(app)).append("</span>")
                    .append(patient ? " use?" : "").append("</h1>")
                    .append("<p class=\"who\">Signed in as ").append(esc(caller.displayName())).append(". ")
                    .append(patient ? "The app will see only the record you choose."
                            : "The app will see only the patient you choose, and only what you may see.")
                    .append("</p>");
        }
        if (message != null) {
            h.append("<p role=\"").append(status >= 400 ? "alert" : "status").append("\" class=\"")
                    .append(status >= 400 ? "error" : "note").append("\">").append(esc(message)).append("</p>");
        }
        if (ticket != null) {
            String t = esc(request(ticket));
            if (caller != null && !patient) {
                h.append("<form method=\"get\" class=\"search\" role=\"search\"><input type=\"hidden\" name=\"ticket\"")
                        .append(" value=\"").append(t).append("\"><label for=\"name\">Patient name</label>")
                        .append("<div class=\"row\"><input id=\"name\" name=\"name\" autocomplete=\"off\" minlength=\"2\"")
                        .append(" maxlength=\"100\" value=\"").append(esc(name == null ? "" : name)).append("\">")
                        .append("<button type=\"submit\">Search</button></div></form>");
            }
            if (!choices.isEmpty()) {
                h.append("<ul class=\"choices\" data-testid=\"choices\">");
                for (Choice c : choices) {
                    h.append("<li><form method=\"post\"><input type=\"hidden\" name=\"ticket\" value=\"").append(t)
                            .append("\"><input type=\"hidden\" name=\"patient\" value=\"").append(esc(c.id()))
                            .append("\"><button type=\"submit\" class=\"choice\" data-patient=\"").append(esc(c.id()))
                            .append("\"><span class=\"name\">").append(esc(c.name())).append("</span>")
                            .append("<span class=\"meta\">")
                            .append(esc(String.join(" · ", java.util.stream.Stream.of(
                                    c.birthDate().isEmpty() ? "" : "born " + c.birthDate(), c.gender(),
                                    c.institution()).filter(s -> !s.isEmpty()).toList())))
                            .append("</span></button></form></li>");
                }
                h.append("</ul>");
            } else if (caller != null && patient && status == 200) {
                h.append("<p class=\"note\">No record of yours is visible yet.</p>");
            }
            h.append("<form method=\"post\" class=\"cancel\"><input type=\"hidden\" name=\"ticket\" value=\"")
                    .append(t).append("\"><button type=\"submit\" name=\"cancel\" value=\"1\" class=\"secondary\">")
                    .append("Continue without a patient</button></form>");
        }
        h.append("</main></body></html>");
        response.getWriter().write(h.toString());
    }

    /** The ticket as the forms send it again (the raw value the request carried). */
    private static String request(SmartPickerTickets.Ticket ticket) {
        return ticket.raw();
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static final String CSS = """
            *{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;\
            color:#1d2733;background:#f3f5f8}.picker{max-width:40rem;margin:2.5rem auto;padding:1.5rem 1.75rem;\
            background:#fff;border:1px solid #d7dde5;border-radius:10px}.brand{margin:0 0 .5rem;font-weight:700;\
            color:#0b5cab;letter-spacing:.02em}h1{font-size:1.35rem;margin:0 0 .5rem;line-height:1.3}\
            .who{margin:0 0 1.25rem;color:#4a5766}label{display:block;font-weight:600;margin-bottom:.25rem}\
            .row{display:flex;gap:.5rem}.row input{flex:1;min-width:0;font:inherit;padding:.55rem .7rem;\
            border:1px solid #9aa7b6;border-radius:6px}button{font:inherit;cursor:pointer;border-radius:6px}\
            .search button{padding:.55rem 1rem;border:0;background:#0b5cab;color:#fff;font-weight:600}\
            .choices{list-style:none;margin:1.25rem 0;padding:0;display:grid;gap:.5rem}.choices form{margin:0}\
            .choice{width:100%;text-align:left;padding:.75rem 1rem;border:1px solid #c4cdd8;background:#fff;\
            display:flex;flex-direction:column}.choice:hover,.choice:focus{border-color:#0b5cab;\
            background:#eef5fc;outline:2px solid #0b5cab;outline-offset:1px}.choice .name{font-weight:600}\
            .choice .meta{color:#4a5766;font-size:.9rem}.note{color:#4a5766}.error{color:#a4161a;\
            background:#fdecec;border:1px solid #f2b8b8;border-radius:6px;padding:.6rem .8rem}\
            .cancel{margin-top:1.5rem}.secondary{padding:.5rem .9rem;border:1px solid #9aa7b6;background:#fff;\
            color:#1d2733}@media (max-width:480px){.picker{margin:0;border:0;border-radius:0;min-height:100vh;\
            padding:1.25rem 1rem}}
            """;
}
