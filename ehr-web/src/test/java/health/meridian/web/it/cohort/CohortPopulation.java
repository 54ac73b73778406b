package health.meridian.web.it.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.web.it.TestStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A small, varied population written through the FHIR API (transaction bundles), the same for every run: per
 * patient i of an institution, a rule decides gender, birth date, conditions, HbA1c values, metformin,
 * colonoscopy, flu vaccination, encounters and research consent. The tests never rely on the rules for their
 * expectations: those come from the SQL oracle. The rules only make every criterion select some but not all.
 */
public final class CohortPopulation {

    public static final String SCT = "http://snomed.info/sct";
    public static final String LOINC = "http://loinc.org";
    public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public static final String CVX = "http://hl7.org/fhir/sid/cvx";
    public static final String CONSENT_CATEGORY = "http://terminology.hl7.org/CodeSystem/consentcategorycodes";
    public static final String DIABETES = "44054006";
    public static final String HYPERTENSION = "38341003";
    public static final String ASTHMA = "195967001";
    public static final String HBA1C = "4548-4";
    public static final String METFORMIN = "860975";
    public static final String COLONOSCOPY = "73761001";
    public static final String FLU = "140";
    public static final String CHECKUP = "185349003";

    private static boolean loaded;

    private CohortPopulation() {
    }

    /** Loads the population once per test JVM (both institutions), then waits until the mirror has all of it. */
    public static synchronized void ensure(String app) throws Exception {
        if (loaded) {
            return;
        }
        TestStack.ensureTenants(app);
        load(app, "dr.jansen", "ams", 30, false);
        load(app, "dr.mueller", "spr", 12, true);
        waitForMirror(app);
        loaded = true;
    }

    private static void load(String app, String user, String prefix, int n, boolean asthma) throws Exception {
        load(app, user, prefix, n, asthma, 10);
    }

    /** n patients following the rules, in transaction bundles of {@code perBundle} patients. */
    static void load(String app, String user, String prefix, int n, boolean asthma, int perBundle) throws Exception {
        String token = TestStack.token(user);
        for (int start = 0; start < n; start += perBundle) {
            if (start > 0 && start % 1000 == 0) {
                token = TestStack.token(user);
            }
            List<String> entries = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + perBundle); i++) {
                entries.addAll(patient(prefix + "-" + UUID.randomUUID().toString().substring(0, 8), i, asthma));
            }
            String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                    + String.join(",", entries) + "]}";
            HttpResponse<String> r = TestStack.post(app + "/fhir", token, bundle);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    private static List<String> patient(String key, int i, boolean asthma) {
        String p = "urn:uuid:" + UUID.nameUUIDFromBytes(key.getBytes());
        List<String> out = new ArrayList<>();
        String gender = i == 7 ? "other" : i % 2 == 0 ? "female" : "male";
        String birth = (1940 + (i * 7) % 60) + "-" + two(i % 12 + 1) + "-10";
        out.add(entry(p, "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:it:cohort\",\"value\":\""
                + key + "\"}],\"name\":[{\"family\":\"Cohort\",\"given\":[\"" + key + "\"]}],\"gender\":\"" + gender
                + "\",\"birthDate\":\"" + birth + "\"}"));
        int onsetYear = 2015 + i % 8;
        if (i % 3 != 0) {
            out.add(condition(p, DIABETES, onsetYear + "-03-15T10:00:00Z"));
            out.add(hba1c(p, "2023-" + two(i % 9 + 1) + "-10T09:00:00Z", 6.0 + (i % 7) * 0.6));
            out.add(hba1c(p, "2024-02-01T09:00:00Z", 5.5 + (i % 5) * 0.9));
        }
        if (i % 4 == 0) {
            out.add(condition(p, HYPERTENSION, "2018-06-01T10:00:00Z"));
        }
        if (asthma) {
            out.add(condition(p, ASTHMA, "2010-01-20T10:00:00Z"));
        }
        if (i % 3 == 1 || i == 9) {
            // 0, 30, ..., 120 days after the diabetes onset (i == 9 has metformin but no diabetes)
            String day = java.time.LocalDate.of(onsetYear, 3, 15).plusDays((i % 5) * 30L) + "T11:00:00Z";
            out.add(resource(p, "MedicationRequest", "\"status\":\"active\",\"intent\":\"order\","
                    + "\"medicationCodeableConcept\":{\"coding\":[{\"system\":\"" + RXNORM + "\",\"code\":\""
                    + METFORMIN + "\"}]},\"subject\":{\"reference\":\"" + p + "\"},\"authoredOn\":\"" + day + "\""));
        }
        if (i % 5 == 0) {
            out.add(resource(p, "Procedure", "\"status\":\"completed\",\"code\":{\"coding\":[{\"system\":\"" + SCT
                    + "\",\"code\":\"" + COLONOSCOPY + "\"}]},\"subject\":{\"reference\":\"" + p + "\"},"
                    + "\"performedDateTime\":\"2022-05-" + two(1 + i % 20) + "T08:00:00Z\""));
        }
        if (i % 2 == 1) {
            out.add(resource(p, "Immunization", "\"status\":\"completed\",\"vaccineCode\":{\"coding\":[{\"system\":\""
                    + CVX + "\",\"code\":\"" + FLU + "\"}]},\"patient\":{\"reference\":\"" + p + "\"},"
                    + "\"occurrenceDateTime\":\"" + (i % 3 == 0 ? 2023 : 2024) + "-10-" + two(1 + i % 25)
                    + "T08:00:00Z\""));
        }
        out.add(encounter(p, "2024-" + two(1 + i % 9) + "-15T08:00:00Z"));
        if (i % 4 == 1) {
            out.add(encounter(p, "2019-" + two(1 + i % 12) + "-03T08:00:00Z"));
        }
        if (i % 2 == 0 || i % 10 == 1) {
            String status = i % 10 == 1 ? "rejected" : "active";
            out.add(resource(p, "Consent", "\"status\":\"" + status + "\",\"scope\":{\"coding\":[{\"system\":"
                    + "\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"research\"}]},"
                    + "\"category\":[{\"coding\":[{\"system\":\"" + CONSENT_CATEGORY + "\",\"code\":\"research\"}]}],"
                    + "\"patient\":{\"reference\":\"" + p + "\"},\"dateTime\":\"2024-01-01T00:00:00Z\","
                    + "\"policyRule\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\","
                    + "\"code\":\"OPTIN\"}]}"));
        }
        return out;
    }

    private static String condition(String p, String code, String onset) {
        return resource(p, "Condition", "\"clinicalStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"active\"}]},"
                + "\"code\":{\"coding\":[{\"system\":\"" + SCT + "\",\"code\":\"" + code + "\"}]},"
                + "\"subject\":{\"reference\":\"" + p + "\"},\"onsetDateTime\":\"" + onset + "\"");
    }

    private static String hba1c(String p, String when, double value) {
        return resource(p, "Observation", "\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"" + LOINC
                + "\",\"code\":\"" + HBA1C + "\"}]},\"subject\":{\"reference\":\"" + p + "\"},\"effectiveDateTime\":\""
                + when + "\",\"valueQuantity\":{\"value\":" + String.format(java.util.Locale.ROOT, "%.1f", value)
                + ",\"unit\":\"%\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"%\"}");
    }

    private static String encounter(String p, String start) {
        return resource(p, "Encounter", "\"status\":\"finished\",\"class\":{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},\"type\":[{\"coding\":"
                + "[{\"system\":\"" + SCT + "\",\"code\":\"" + CHECKUP + "\"}]}],\"subject\":{\"reference\":\"" + p
                + "\"},\"period\":{\"start\":\"" + start + "\"}");
    }

    private static String resource(String p, String type, String body) {
        return "{\"resource\":{\"resourceType\":\"" + type + "\"," + body + "},\"request\":{\"method\":\"POST\","
                + "\"url\":\"" + type + "\"}}";
    }

    private static String entry(String fullUrl, String resource) {
        return "{\"fullUrl\":\"" + fullUrl + "\",\"resource\":" + resource + ",\"request\":{\"method\":\"POST\","
                + "\"url\":\"Patient\"}}";
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : String.valueOf(n);
    }

    /** Until the outbox is empty, then a refresh so everything shipped is searchable. */
    static void waitForMirror(String app) throws Exception {
        for (int i = 0; i < 3000; i++) {
            if (TestStack.outboxDepth(app) == 0) {
                HttpRequest refresh = HttpRequest.newBuilder(URI.create(TestStack.elasticsearch()
                        + "/meridian-records,meridian-persons/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build();
                java.net.http.HttpClient.newHttpClient().send(refresh, HttpResponse.BodyHandlers.ofString());
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the mirror did not catch up");
    }
}
