package health.meridian.web.smart;

import health.meridian.domain.record.StoredResource;
import health.meridian.web.record.RecordService;
import health.meridian.web.record.TimelineService.PatientNotVisibleException;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.Caller;
import health.meridian.web.security.SmartLaunches;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * SMART EHR launch from the chart (ADR 0028). {@code GET /api/smart/apps}: the apps the Apps menu offers.
 * {@code POST /api/smart/launches} {@code {"app": clientId, "patient": id}}: a care professional who may read the
 * patient (through the access seam; audited as interaction {@code smart-launch}) gets a signed launch value for that
 * app and the URL to open: the app's launch URL with {@code launch} and {@code iss} (Meridian's FHIR base).
 */
@Path("smart")
@Produces(MediaType.APPLICATION_JSON)
public class SmartLaunchResource {

    @Inject
    AccessSeam seam;
    @Inject
    RecordService records;
    @Inject
    SmartLaunches launches;
    @Inject
    SmartApps apps;
    @Context
    HttpServletRequest request;

    /** The Apps menu's entry for one app. */
    public record AppView(String clientId, String name) {
    }

    /** The apps, {@code {"apps": [...]}}. */
    public record AppsView(List<AppView> apps) {
    }

    /** The body of a launch request: the app, the patient and, launched from an encounter, that Encounter. */
    public record LaunchForm(String app, String patient, String encounter) {
    }

    /** A launch: the value, the FHIR base ({@code iss}) and the URL to open. */
    public record LaunchView(String launch, String iss, String url) {
    }

    @GET
    @Path("apps")
    public AppsView apps() {
        seam.requireLauncher();
        return new AppsView(apps.list().stream().map(a -> new AppView(a.clientId(), a.name())).toList());
    }

    @POST
    @Path("launches")
    @Consumes(MediaType.APPLICATION_JSON)
    public LaunchView launch(LaunchForm form) {
        Caller caller = seam.requireLauncher();
        String appId = form == null ? null : form.app();
        String patientId = form == null ? null : form.patient();
        if (patientId == null || !patientId.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw new IllegalArgumentException("EHR-1154 a launch names a patient by its FHIR id");
        }
        SmartApps.App app = apps.find(appId == null ? "" : appId)
                .orElseThrow(() -> new IllegalArgumentException("EHR-1153 no such app: " + appId));
        StoredResource patient = records.readAs("smart-launch", "Patient", patientId).filter(p -> !p.deleted())
                .filter(p -> p.personId() != null)
                .orElseThrow(() -> new PatientNotVisibleException(patientId));
        String encounterId = form.encounter() == null || form.encounter().isBlank() ? null : form.encounter();
        if (encounterId != null) {
            if (!encounterId.matches("[A-Za-z0-9\\-.]{1,64}")) {
                throw new IllegalArgumentException("EHR-1161 a launch names an encounter by its FHIR id");
            }
            StoredResource encounter = records.readAs("smart-launch", "Encounter", encounterId)
                    .filter(e -> !e.deleted()).orElseThrow(() -> new java.util.NoSuchElementException("EHR-1162 Encounter/"
                            + encounterId + " was not found"));
            if (!subjectIs(encounter, patientId)) {
                throw new IllegalArgumentException("EHR-1163 Encounter/" + encounterId + " is not about Patient/"
                        + patientId);
            }
        }
        String launch = launches.create(patientId, encounterId, patient.personId(), caller.requireTenant().value(),
                caller.subject(), app.clientId(), Instant.now());
        String base = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()
                + request.getContextPath();
        String iss = base + "/fhir";
        String target = app.launchUrl().startsWith("/") ? base + app.launchUrl() : app.launchUrl();
        String url = target + (target.contains("?") ? "&" : "?") + "launch=" + enc(launch) + "&iss=" + enc(iss);
        return new LaunchView(launch, iss, url);
    }

    /** Whether the resource's {@code subject} is {@code Patient/<patientId>}. */
    static boolean subjectIs(StoredResource resource, String patientId) {
        try {
            jakarta.json.JsonObject json = jakarta.json.Json.createReader(new java.io.StringReader(resource.json()))
                    .readObject();
            return json.get("subject") instanceof jakarta.json.JsonObject subject
                    && ("Patient/" + patientId).equals(subject.getString("reference", null));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
