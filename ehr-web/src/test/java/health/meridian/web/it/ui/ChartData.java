package health.meridian.web.it.ui;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test data for the browser tests, created through the public APIs as the clinicians themselves: institutions
 * (as platform.admin), then one patient with a chart (problems, medications, allergies, vitals and lab trends,
 * an encounter, enough entries to need more than one timeline page).
 */
final class ChartData {

    /** HTTP/1.1: the JDK client's h2c upgrade met a GOAWAY from Grizzly on a slow first request (EOF while reading). */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final String LOINC = "http://loinc.org";
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern LOCATION_ID = Pattern.compile("\"location\"\\s*:\\s*\"Patient/([A-Za-z0-9\\-.]+)");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([A-Za-z0-9\\-.]+)\"");

    /** The newest blood pressure (yesterday, {@link #NEWEST_BP_TIME}), stored diastolic-first. */
    static final int NEWEST_SYSTOLIC = 141;
    static final int NEWEST_DIASTOLIC = 87;
    static final String NEWEST_BP_TIME = "T09:10:00+01:00";
    /** A problem recorded yesterday with a date only. */
    static final String DATE_ONLY_PROBLEM = "Seasonal allergic rhinitis";

    /** Vitals entries created per patient: with the rest, more than one timeline page (50). */
    static final int VITAL_VISITS = 24;

    private ChartData() {
    }

    record Patient(String id, String family, String given, String identifierSystem, String identifierValue) {
        String displayName() {
            return family + ", " + given;
        }
    }

    static String issuer() {
        return System.getProperty("meridian.test.oidc.issuer");
    }

    static String token(String username) throws IOException, InterruptedException {
        return health.meridian.web.it.TestStack.token(username);
    }

    static void ensureTenants(String app) throws IOException, InterruptedException {
        health.meridian.web.it.TestStack.ensureTenants(app);
    }

    /** A patient with a whole chart, created in one FHIR transaction by the given clinician. */
    static Patient createChart(String app, String clinician) throws IOException, InterruptedException {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Patient p = new Patient(null, "Chartreview" + suffix, "Anna", "urn:meridian:test", "ui-" + suffix);
        String bundle = chartBundle(p);
        HttpResponse<String> r = send("POST", app + "/fhir", token(clinician), "application/fhir+json", bundle);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("loading the chart answered " + r.statusCode() + ": " + r.body());
        }
        Matcher m = LOCATION_ID.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no Patient location in " + r.body().substring(0, 300));
        }
        Patient created = new Patient(m.group(1), p.family(), p.given(), p.identifierSystem(), p.identifierValue());
        awaitSearchable(app, clinician, created.id());
        return created;
    }

    /**
     * Waits (up to 60 s) until the search mirror has the chart's last entry (the date-only problem): screens that
     * open the chart at once read the mirror, which follows the database by the outbox's lag.
     */
    static void awaitSearchable(String app, String user, String patientId) throws IOException, InterruptedException {
        List<String> urls = List.of(app + "/fhir/Condition?patient=" + patientId
                + "&code=http://snomed.info/sct%7C367498001&_summary=count", app + "/fhir/Observation?patient="
                + patientId + "&code=" + LOINC + "%7C85354-9&date=" + LocalDate.now().minusDays(1) + "&_summary=count");
        long deadline = System.currentTimeMillis() + 60_000;
        String token = token(user);
        while (System.currentTimeMillis() < deadline) {
            boolean all = true;
            for (String url : urls) {
                HttpResponse<String> r = get(url, token);
                all &= r.statusCode() == 200 && r.body().contains("\"total\":") && !r.body().contains("\"total\":0");
            }
            if (all) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the chart of Patient/" + patientId + " was not searchable within 60 s");
    }

    /** The transaction Bundle of {@link #createChart}: the patient, an encounter, problems, a medication, vitals, labs. */
    static String chartBundle(Patient p) {
        List<String> entries = new ArrayList<>();
        String patient = "urn:uuid:" + UUID.randomUUID();
        entries.add(entry(patient, "Patient", "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\""
                + p.identifierSystem() + "\",\"value\":\"" + p.identifierValue() + "\"}],\"name\":[{\"family\":\""
                + p.family() + "\",\"given\":[\"" + p.given() + "\"]}],\"gender\":\"female\",\"birthDate\":\"1961-04-02\"}"));
        String encounter = "urn:uuid:" + UUID.randomUUID();
        LocalDate start = LocalDate.now().minusMonths(VITAL_VISITS);
        entries.add(entry(encounter, "Encounter", "{\"resourceType\":\"Encounter\",\"status\":\"finished\","
                + "\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},"
                + "\"type\":[{\"text\":\"Diabetes follow-up\"}],\"subject\":{\"reference\":\"" + patient + "\"},"
                + "\"period\":{\"start\":\"" + start + "T09:00:00+01:00\",\"end\":\"" + start + "T09:30:00+01:00\"}}"));
        entries.add(entry(null, "Condition", condition(patient, "44054006", "Type 2 diabetes mellitus", "active",
                start.toString())));
        entries.add(entry(null, "Condition", condition(patient, "38341003", "Hypertension", "active",
                start.plusMonths(2).toString())));
        entries.add(entry(null, "Condition", condition(patient, "33737001", "Fracture of rib", "resolved",
                start.minusYears(3).toString())));
        entries.add(entry(null, "MedicationRequest", "{\"resourceType\":\"MedicationRequest\",\"status\":\"active\","
                + "\"intent\":\"order\",\"medicationCodeableConcept\":{\"text\":\"Metformin 500 mg tablet\"},"
                + "\"subject\":{\"reference\":\"" + patient + "\"},\"authoredOn\":\"" + start + "\","
                + "\"dosageInstruction\":[{\"text\":\"500 mg twice daily\"}]}"));
        entries.add(entry(null, "AllergyIntolerance", "{\"resourceType\":\"AllergyIntolerance\",\"clinicalStatus\":"
                + "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical\","
                + "\"code\":\"active\"}]},\"code\":{\"text\":\"Penicillin\"},\"criticality\":\"high\","
                + "\"patient\":{\"reference\":\"" + patient + "\"}}"));
        for (int i = 0; i < VITAL_VISITS; i++) {
            LocalDate day = start.plusMonths(i);
            String when = day + "T10:" + String.format("%02d", i % 60) + ":00+01:00";
            String enc = i == 0 ? encounter : null;
            entries.add(entry(null, "Observation", vital(patient, enc, when, "85354-9", "Blood pressure panel", null,
                    new double[] {128 + (i % 7) * 3, 78 + (i % 5) * 2})));
            entries.add(entry(null, "Observation", vital(patient, enc, when, "29463-7", "Body weight", "kg",
                    new double[] {84 - i * 0.4})));
            if (i % 3 == 0) {
                entries.add(entry(null, "Observation", lab(patient, enc, when, "4548-4", "Hemoglobin A1c", "%",
                        8.4 - i * 0.08)));
            }
        }
        // Issue #20: a discharge letter as HTML (with a script and an event handler that must never run)
        String letter = "<h1>Discharge letter</h1><p>Admitted for <b>chest pain</b>.</p><ul><li>ECG normal</li></ul>"
                + "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"
                + "<p>Follow-up in 2 weeks.</p>";
        entries.add(entry(null, "DocumentReference", "{\"resourceType\":\"DocumentReference\",\"status\":\"current\","
                + "\"type\":{\"text\":\"Discharge summary\"},\"description\":\"Discharge letter\","
                + "\"subject\":{\"reference\":\"" + patient + "\"},\"date\":\"" + start.plusMonths(2)
                + "T16:00:00+01:00\",\"content\":[{\"attachment\":{\"contentType\":\"text/html\",\"title\":"
                + "\"Letter\",\"data\":\"" + java.util.Base64.getEncoder().encodeToString(
                        letter.getBytes(StandardCharsets.UTF_8)) + "\"}}]}"));
        // Issue #20: a result outside the summary's opening trends (one glucose), offered by the trend picker
        entries.add(entry(null, "Observation", lab(patient, null, start.plusMonths(1) + "T08:15:00+01:00", "2339-0",
                "Glucose", "mmol/L", 6.1)));
        // Issue #20: the newest blood pressure written diastolic-first (as Synthea writes it), at 09:10 in UTC+01:00
        // (a browser in another zone must still show 09:10), and a problem recorded with a date only (no time).
        LocalDate yesterday = LocalDate.now().minusDays(1);
        entries.add(entry(null, "Observation", vital(patient, null, yesterday + NEWEST_BP_TIME, "85354-9",
                "Blood pressure panel", null, new double[] {NEWEST_SYSTOLIC, NEWEST_DIASTOLIC}, true)));
        entries.add(entry(null, "Condition", condition(patient, "367498001", DATE_ONLY_PROBLEM, "active",
                yesterday.toString())));
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries)
                + "]}";
        return bundle;
    }

    /**
     * A billing entry (a Claim created now) for the patient, waited for until the timeline lists it under billing
     * (issue #20: billing is out of the clinical view unless asked for).
     */
    static void addClaim(String app, String user, String patientId) throws IOException, InterruptedException {
        String claim = "{\"resourceType\":\"Claim\",\"status\":\"active\",\"type\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/claim-type\",\"code\":\"professional\"}]},\"use\":\"claim\","
                + "\"patient\":{\"reference\":\"Patient/" + patientId + "\"},\"created\":\""
                + fhirDateTime(java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(1))) + "\","
                + "\"provider\":{\"display\":\"Amstel Hospital\"},\"priority\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/processpriority\",\"code\":\"normal\"}]},"
                + "\"insurance\":[{\"sequence\":1,\"focal\":true,\"coverage\":{\"display\":\"Basic insurance\"}}],"
                + "\"total\":{\"value\":120.0,\"currency\":\"EUR\"}}";
        String token = token(user);
        HttpResponse<String> r = send("POST", app + "/fhir/Claim", token, "application/fhir+json", claim);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("the claim answered " + r.statusCode() + ": " + r.body());
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> t = get(app + "/api/patients/" + patientId + "/timeline?category=billing&size=1",
                    token);
            if (t.statusCode() == 200 && t.body().contains("\"Claim\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the claim of Patient/" + patientId + " was not on the timeline within 60 s");
    }

    /**
     * A Patient of {@code person} (urn:meridian:person) with one body weight, created by {@code clinician} in one
     * transaction: the Patient id and the Observation id.
     */
    static String[] createPersonWithWeight(String app, String clinician, String person, String family)
            throws IOException, InterruptedException {
        String patient = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:meridian:person\","
                + "\"value\":\"" + person + "\"}],\"name\":[{\"family\":\"" + family + "\",\"given\":[\"Anna\"]}]}";
        String weight = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\""
                + LOINC + "\",\"code\":\"29463-7\",\"display\":\"Body weight\"}],\"text\":\"Body weight\"},"
                + "\"subject\":{\"reference\":\"urn:uuid:" + UUID.nameUUIDFromBytes(family.getBytes()) + "\"},"
                + "\"effectiveDateTime\":\"" + LocalDate.now() + "\",\"valueQuantity\":{\"value\":71.5,\"unit\":\"kg\","
                + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"kg\"}}";
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + entry("urn:uuid:" + UUID.nameUUIDFromBytes(family.getBytes()), "Patient", patient) + ","
                + entry(null, "Observation", weight) + "]}";
        HttpResponse<String> r = send("POST", app + "/fhir", token(clinician), "application/fhir+json", bundle);
        Matcher p = LOCATION_ID.matcher(r.body());
        Matcher o = Pattern.compile("\"location\"\\s*:\\s*\"Observation/([A-Za-z0-9\\-.]+)").matcher(r.body());
        if (r.statusCode() != 200 || !p.find() || !o.find()) {
            throw new IllegalStateException("creating " + person + "'s record answered " + r.statusCode() + ": "
                    + r.body());
        }
        return new String[] {p.group(1), o.group(1)};
    }

    /**
     * A FHIR dateTime with seconds always written: {@code OffsetDateTime.toString()} drops ":00" seconds
     * ("23:28Z"), which FHIR refuses — a test that failed once a minute.
     */
    static String fhirDateTime(java.time.OffsetDateTime t) {
        return t.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"));
    }

    /** An encounter under way now (issue #20: the recording forms choose it), created by the given user; its id. */
    static String addEncounterInProgress(String app, String user, String patientId)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", app + "/fhir/Encounter", token(user), "application/fhir+json",
                "{\"resourceType\":\"Encounter\",\"status\":\"in-progress\",\"class\":{\"system\":"
                        + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},"
                        + "\"type\":[{\"text\":\"Asthma review\"}],\"subject\":{\"reference\":\"Patient/"
                        + patientId + "\"},\"period\":{\"start\":\"" + fhirDateTime(java.time.OffsetDateTime.now())
                        + "\"}}");
        Matcher m = ID.matcher(r.body());
        if (r.statusCode() != 201 || !m.find()) {
            throw new IllegalStateException("creating an encounter answered " + r.statusCode() + ": " + r.body());
        }
        return m.group(1);
    }

    /** A heart rate of the patient about the given encounter (which need not be the caller's to read). */
    static String addHeartRate(String app, String user, String patientId, String encounterId, int perMinute)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", app + "/fhir/Observation", token(user), "application/fhir+json",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
                        + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\"}]}],"
                        + "\"code\":{\"coding\":[{\"system\":\"" + LOINC + "\",\"code\":\"8867-4\",\"display\":"
                        + "\"Heart rate\"}]},\"subject\":{\"reference\":\"Patient/" + patientId + "\"},"
                        + "\"encounter\":{\"reference\":\"Encounter/" + encounterId + "\"},\"effectiveDateTime\":\""
                        + fhirDateTime(java.time.OffsetDateTime.now()) + "\",\"valueQuantity\":{\"value\":" + perMinute
                        + ",\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}");
        Matcher m = ID.matcher(r.body());
        if (r.statusCode() != 201 || !m.find()) {
            throw new IllegalStateException("creating a heart rate answered " + r.statusCode() + ": " + r.body());
        }
        return m.group(1);
    }

    /** A bare patient (no chart), created by the given user. */
    static String createPatient(String app, String user, String family) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", app + "/fhir/Patient", token(user), "application/fhir+json",
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\",\"given\":[\"Bram\"]}],"
                        + "\"gender\":\"male\",\"birthDate\":\"1970-01-01\"}");
        Matcher m = ID.matcher(r.body());
        if (r.statusCode() != 201 || !m.find()) {
            throw new IllegalStateException("creating a patient answered " + r.statusCode() + ": " + r.body());
        }
        return m.group(1);
    }

    static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String url, String token, String type, String body)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", type).header("Accept", type).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String entry(String fullUrl, String type, String resource) {
        return "{" + (fullUrl == null ? "" : "\"fullUrl\":\"" + fullUrl + "\",") + "\"resource\":" + resource
                + ",\"request\":{\"method\":\"POST\",\"url\":\"" + type + "\"}}";
    }

    private static String condition(String patient, String snomed, String text, String status, String onset) {
        return "{\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"" + status + "\"}]},"
                + "\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"" + snomed + "\",\"display\":\""
                + text + "\"}],\"text\":\"" + text + "\"},\"subject\":{\"reference\":\"" + patient + "\"},"
                + "\"onsetDateTime\":\"" + onset + "\",\"recordedDate\":\"" + onset + "\"}";
    }

    private static String vital(String patient, String encounter, String when, String code, String display,
                                String unit, double[] values) {
        return vital(patient, encounter, when, code, display, unit, values, false);
    }

    /** A vital sign; a blood pressure's components in LOINC order, or diastolic first when {@code diastolicFirst}. */
    private static String vital(String patient, String encounter, String when, String code, String display,
                                String unit, double[] values, boolean diastolicFirst) {
        String head = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"" + LOINC + "\",\"code\":\"" + code + "\",\"display\":\"" + display
                + "\"}],\"text\":\"" + display + "\"},\"subject\":{\"reference\":\"" + patient + "\"},"
                + (encounter == null ? "" : "\"encounter\":{\"reference\":\"" + encounter + "\"},")
                + "\"effectiveDateTime\":\"" + when + "\"";
        if (values.length == 2) {
            String systolic = component("8480-6", values[0]);
            String diastolic = component("8462-4", values[1]);
            return head + ",\"component\":[" + (diastolicFirst ? diastolic + "," + systolic : systolic + "," + diastolic)
                    + "]}";
        }
        return head + ",\"valueQuantity\":{\"value\":" + values[0] + ",\"unit\":\"" + unit
                + "\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"" + unit + "\"}}";
    }

    private static String component(String code, double value) {
        return "{\"code\":{\"coding\":[{\"system\":\"" + LOINC + "\",\"code\":\"" + code + "\"}]},\"valueQuantity\":"
                + "{\"value\":" + value + ",\"unit\":\"mmHg\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}}";
    }

    private static String lab(String patient, String encounter, String when, String code, String display, String unit,
                              double value) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"laboratory\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"" + LOINC + "\",\"code\":\"" + code + "\",\"display\":\"" + display
                + "\"}],\"text\":\"" + display + "\"},\"subject\":{\"reference\":\"" + patient + "\"},"
                + (encounter == null ? "" : "\"encounter\":{\"reference\":\"" + encounter + "\"},")
                + "\"effectiveDateTime\":\"" + when + "\",\"valueQuantity\":{\"value\":" + Math.round(value * 10) / 10.0
                + ",\"unit\":\"" + unit + "\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"" + unit + "\"},"
                + "\"referenceRange\":[{\"low\":{\"value\":4.0,\"unit\":\"%\"},\"high\":{\"value\":5.6,\"unit\":\"%\"}}]}";
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
