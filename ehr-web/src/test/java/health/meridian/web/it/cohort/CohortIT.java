package health.meridian.web.it.cohort;

import static health.meridian.web.it.cohort.CohortPopulation.ASTHMA;
import static health.meridian.web.it.cohort.CohortPopulation.CHECKUP;
import static health.meridian.web.it.cohort.CohortPopulation.COLONOSCOPY;
import static health.meridian.web.it.cohort.CohortPopulation.CVX;
import static health.meridian.web.it.cohort.CohortPopulation.DIABETES;
import static health.meridian.web.it.cohort.CohortPopulation.FLU;
import static health.meridian.web.it.cohort.CohortPopulation.HBA1C;
import static health.meridian.web.it.cohort.CohortPopulation.HYPERTENSION;
import static health.meridian.web.it.cohort.CohortPopulation.LOINC;
import static health.meridian.web.it.cohort.CohortPopulation.METFORMIN;
import static health.meridian.web.it.cohort.CohortPopulation.RXNORM;
import static health.meridian.web.it.cohort.CohortPopulation.SCT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cohort queries on the real stack: every criterion type, AND/OR/NOT and a temporal relation counted by the API
 * and by an independent SQL oracle on PostgreSQL; suppression; role limits; the differencing guard on sets of persons
 * (tautologies, operator changes, compare, the same refusal whether anyone is in between, lock-out); saved cohorts,
 * the patient list and the FHIR Group. The population is loaded once through the FHIR API.
 */
@ExtendWith(ArquillianExtension.class)
class CohortIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String INDEX = "2025-01-01";
    private static final String AMS = "nl-amstel";

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private String app() {
        return TestStack.app(base);
    }

    @BeforeEach
    void population() throws Exception {
        CohortPopulation.ensure(app());
        forgetDisclosures();
    }

    @AfterEach
    void leaveNoDisclosures() throws Exception {
        forgetDisclosures();
    }

    // ---- one definition per criterion type, and combinations, against the SQL oracle (tenant admin of Amstel)

    @Test
    void demographicsMatchTheOracle() throws Exception {
        assertMatches(crit("{\"type\":\"demographics\",\"gender\":\"female\",\"minAge\":40,\"maxAge\":75}"),
                SqlOracle.demographics("female", 40, 75, INDEX));
    }

    @Test
    void conditionWithAWindowMatchesTheOracle() throws Exception {
        assertMatches(crit(coded("condition", SCT, DIABETES, "{\"from\":\"2016-01-01\",\"to\":\"2021-01-01\"}")),
                SqlOracle.coded("Condition", SCT, DIABETES, "2016-01-01", "2021-01-01"));
    }

    @Test
    void observationValueComparisonMatchesTheOracle() throws Exception {
        String hba1c = "{\"type\":\"observation\",\"codes\":[\"" + LOINC + "|" + HBA1C + "\"],\"value\":{\"comparator\":"
                + "\"gt\",\"value\":8,\"unit\":\"%\"},\"window\":{\"from\":\"2023-01-01\",\"to\":\"2024-01-01\"}}";
        String oracle = SqlOracle.observationValue(LOINC, HBA1C, ">", 8, "%")
                + " AND " + SqlOracle.date("Observation") + " >= '2023-01-01' AND " + SqlOracle.date("Observation")
                + " < '2024-01-01'";
        assertMatches(crit(hba1c), oracle);
        String low = hba1c.replace("\"gt\"", "\"le\"");
        assertMatches(crit(low), SqlOracle.observationValue(LOINC, HBA1C, "<=", 8, "%") + " AND "
                + SqlOracle.date("Observation") + " >= '2023-01-01' AND " + SqlOracle.date("Observation")
                + " < '2024-01-01'");
    }

    @Test
    void medicationProcedureImmunizationAndEncounterMatchTheOracle() throws Exception {
        assertMatches(crit(coded("medication", RXNORM, METFORMIN, null)),
                SqlOracle.coded("MedicationRequest", RXNORM, METFORMIN, null, null));
        assertMatches(crit(coded("procedure", SCT, COLONOSCOPY, null)),
                SqlOracle.coded("Procedure", SCT, COLONOSCOPY, null, null));
        assertMatches(crit(coded("immunization", CVX, FLU, "{\"daysBefore\":365}")),
                SqlOracle.coded("Immunization", CVX, FLU, "2024-01-02", "2025-01-02"));
        assertMatches(crit("{\"type\":\"encounter\",\"window\":{\"from\":\"2019-01-01\",\"to\":\"2020-01-01\"}}"),
                SqlOracle.coded("Encounter", null, null, "2019-01-01", "2020-01-01"));
        assertMatches(crit(coded("encounter", SCT, CHECKUP, "{\"from\":\"2024-01-01\"}")),
                SqlOracle.coded("Encounter", SCT, CHECKUP, "2024-01-01", null));
    }

    @Test
    void andOrNotMatchTheOracle() throws Exception {
        assertMatches(group("and", coded("condition", SCT, DIABETES, null),
                        group("not", coded("medication", RXNORM, METFORMIN, null))),
                SqlOracle.coded("Condition", SCT, DIABETES, null, null) + " EXCEPT "
                        + SqlOracle.coded("MedicationRequest", RXNORM, METFORMIN, null, null));
        assertMatches(group("or", coded("procedure", SCT, COLONOSCOPY, null), coded("condition", SCT, HYPERTENSION, null)),
                SqlOracle.coded("Procedure", SCT, COLONOSCOPY, null, null) + " UNION "
                        + SqlOracle.coded("Condition", SCT, HYPERTENSION, null, null));
        assertMatches(group("and", "{\"type\":\"demographics\",\"gender\":\"male\"}",
                        group("or", coded("immunization", CVX, FLU, null), coded("condition", SCT, HYPERTENSION, null))),
                "SELECT p FROM cur WHERE t = 'Patient' AND c->>'gender' = 'male' INTERSECT ("
                        + SqlOracle.coded("Immunization", CVX, FLU, null, null) + " UNION "
                        + SqlOracle.coded("Condition", SCT, HYPERTENSION, null, null) + ")");
    }

    @Test
    void temporalRelationMatchesTheOracle() throws Exception {
        for (int days : new int[] {0, 60, 90}) {
            String def = "{\"type\":\"temporal\",\"first\":" + coded("condition", SCT, DIABETES, null) + ",\"then\":"
                    + coded("medication", RXNORM, METFORMIN, null) + ",\"withinDays\":" + days + "}";
            assertMatches(crit(def), SqlOracle.within("Condition", SCT, DIABETES, "MedicationRequest", RXNORM,
                    METFORMIN, days));
        }
    }

    @Test
    void yearBreakdownDatesEachPersonByTheFirstMatchingRecord() throws Exception {
        JsonNode years = count("admin.amstel", crit(coded("encounter", SCT, CHECKUP, null))).path("breakdowns")
                .path("year");
        Set<String> oracleYears = new HashSet<>();
        for (int y = 2015; y <= 2026; y++) {
            Set<String> entered = oracle(AMS, SqlOracle.coded("Encounter", SCT, CHECKUP, null, null)
                    + " GROUP BY p HAVING extract(year FROM min(" + SqlOracle.date("Encounter") + ")) = " + y);
            if (!entered.isEmpty()) {
                oracleYears.add(String.valueOf(y));
                assertThat(years.path(String.valueOf(y)).asText()).as("year " + y + " in " + years)
                        .isEqualTo(entered.size() < 5 ? "<5" : String.valueOf(entered.size()));
            }
        }
        List<String> apiYears = new ArrayList<>();
        years.fieldNames().forEachRemaining(apiYears::add);
        assertThat(apiYears).containsExactlyInAnyOrderElementsOf(oracleYears);
        assertThat(oracleYears).as("fixture: entries over more than one year").hasSizeGreaterThan(1);
    }

    @Test
    void aTemporalRelationsYearsDateEachPersonByTheFirstSidesFirstRecord() throws Exception {
        String def = crit("{\"type\":\"temporal\",\"first\":" + coded("condition", SCT, DIABETES, null)
                + ",\"then\":" + coded("medication", RXNORM, METFORMIN, null) + ",\"withinDays\":90}");
        JsonNode years = count("admin.amstel", def).path("breakdowns").path("year");
        String within = SqlOracle.within("Condition", SCT, DIABETES, "MedicationRequest", RXNORM, METFORMIN, 90);
        Set<String> oracleYears = new HashSet<>();
        for (int y = 1900; y <= 2026; y++) {
            Set<String> entered = oracle(AMS, "(" + within + ") INTERSECT (" + SqlOracle.coded("Condition", SCT,
                    DIABETES, null, null) + " GROUP BY p HAVING extract(year FROM min(" + SqlOracle.date("Condition")
                    + ")) = " + y + ")");
            if (!entered.isEmpty()) {
                oracleYears.add(String.valueOf(y));
                String cell = years.path(String.valueOf(y)).asText();
                assertThat(cell).as("year " + y + " in " + years).isIn(entered.size() < 5 ? List.of("<5", "suppressed")
                        : List.of(String.valueOf(entered.size()), "suppressed"));
            }
        }
        List<String> apiYears = new ArrayList<>();
        years.fieldNames().forEachRemaining(apiYears::add);
        assertThat(apiYears).containsExactlyInAnyOrderElementsOf(oracleYears);
        assertThat(oracleYears).as("fixture: first records in more than one year").hasSizeGreaterThan(1);
    }

    // ---- suppression

    @Test
    void smallCountsAndTheirComplementsAreSuppressed() throws Exception {
        String def = crit(coded("procedure", SCT, COLONOSCOPY, null));
        Set<String> expected = oracle(AMS, SqlOracle.coded("Procedure", SCT, COLONOSCOPY, null, null));
        assertThat(expected.size()).as("fixture: a cohort of 5 or more").isGreaterThanOrEqualTo(5);
        JsonNode r = count("admin.amstel", def);
        assertThat(r.path("count").asLong()).isEqualTo(expected.size());
        for (JsonNode dimension : List.of(r.path("breakdowns").path("gender"), r.path("breakdowns").path("ageBand"))) {
            int hidden = 0;
            for (JsonNode cell : dimension) {
                hidden += "<5".equals(cell.asText()) || "suppressed".equals(cell.asText()) ? 1 : 0;
                assertThat(cell.isNumber() && cell.asLong() >= 1 && cell.asLong() <= 4).as(dimension.toString()).isFalse();
            }
            assertThat(hidden).as("no lone hidden cell: " + dimension).isNotEqualTo(1);
        }
        JsonNode small = count("admin.amstel", group("and", coded("procedure", SCT, COLONOSCOPY, null),
                "{\"type\":\"demographics\",\"gender\":\"female\"}"));
        Set<String> smallExpected = oracle(AMS, SqlOracle.coded("Procedure", SCT, COLONOSCOPY, null, null)
                + " INTERSECT SELECT p FROM cur WHERE t = 'Patient' AND c->>'gender' = 'female'");
        assertThat(smallExpected.size()).as("fixture: a small cohort").isBetween(1, 4);
        assertThat(small.path("count").asText()).isEqualTo("<5");
        assertThat(small.path("breakdowns").path("gender").path("female").asText()).isEqualTo("<5");
    }

    // ---- role limits

    @Test
    void cliniciansAreRefused() throws Exception {
        HttpResponse<String> r = post("dr.jansen", "cohorts/count", crit(coded("condition", SCT, DIABETES, null)));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("EHR-0821");
    }

    @Test
    void researchersCountOnlyConsentingPersonsAndListNoPatients() throws Exception {
        String def = crit(coded("encounter", SCT, CHECKUP, null));
        Set<String> all = oracle(AMS, SqlOracle.coded("Encounter", SCT, CHECKUP, null, null));
        Set<String> consenting = oracle(AMS, SqlOracle.coded("Encounter", SCT, CHECKUP, null, null) + " INTERSECT "
                + SqlOracle.consented());
        assertThat(consenting.size()).as("fixture: some but not all consented").isBetween(5, all.size() - 1);
        JsonNode r = count("researcher.lee", def);
        assertThat(r.path("count").asLong()).isEqualTo(consenting.size());
        assertThat(r.path("population").asText()).isEqualTo("research-consented");
        String id = save("admin.amstel", "checkups", def);
        HttpResponse<String> list = get("researcher.lee", "cohorts/" + id + "/patients");
        assertThat(list.statusCode()).isEqualTo(403);
        assertThat(list.body()).contains("EHR-0822");
    }

    @Test
    void tenantAdminsSeeOnlyTheirInstitutionPlatformAdminsAll() throws Exception {
        String def = crit(coded("condition", SCT, ASTHMA, null));
        Set<String> spree = oracle("de-spree", SqlOracle.coded("Condition", SCT, ASTHMA, null, null));
        assertThat(spree.size()).as("fixture").isGreaterThanOrEqualTo(5);
        assertThat(count("admin.amstel", def).path("count").asLong()).isZero();
        assertThat(count("admin.spree", def).path("count").asLong()).isEqualTo(spree.size());
        Set<String> everywhere = SqlOracle.persons(List.of(AMS, "de-spree"),
                SqlOracle.coded("Condition", SCT, ASTHMA, null, null) + " INTERSECT " + SqlOracle.population());
        JsonNode platform = count("platform.admin", def);
        assertThat(platform.path("count").asLong()).isEqualTo(everywhere.size());
        // Amstel's cell depends on what other tests recorded (a clinician's coded asthma): 1..4 there is a small
        // cell, and then Spree's cell, the only other non-zero one, is its complementary pair — both "suppressed".
        int amstel = SqlOracle.persons(List.of(AMS), SqlOracle.coded("Condition", SCT, ASTHMA, null, null)
                + " INTERSECT " + SqlOracle.population()).size();
        JsonNode institutions = platform.path("breakdowns").path("institution");
        if (amstel > 0 && amstel < 5) {
            assertThat(institutions.path("de-spree").asText()).isEqualTo("suppressed");
            assertThat(institutions.path(AMS).asText()).isEqualTo("suppressed");
        } else {
            assertThat(institutions.path("de-spree").isNumber()).as(institutions.toString()).isTrue();
            assertThat(institutions.path("de-spree").asLong()).isEqualTo(spree.size());
            assertThat(institutions.path(AMS).asLong()).isEqualTo(amstel);
        }
    }

    /**
     * A problem marked entered in error (a new version: verification status entered-in-error, no clinical status,
     * as FHIR's con-5 asks) states nothing about the patient: the person leaves every cohort it put them in, and
     * comes back when a correction restores it.
     */
    @Test
    void aProblemEnteredInErrorLeavesTheCohort() throws Exception {
        String system = "urn:meridian:it:cohort-eie";
        String code = UUID.randomUUID().toString();
        String def = crit(coded("condition", system, code, null));
        String jansen = TestStack.token("dr.jansen");
        String p = "urn:uuid:" + UUID.randomUUID();
        String condition = "{\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"active\"}]},"
                + "\"code\":{\"coding\":[{\"system\":\"" + system + "\",\"code\":\"" + code + "\"}]},"
                + "\"subject\":{\"reference\":\"" + p + "\"},\"onsetDateTime\":\"2021-04-01T10:00:00Z\"}";
        HttpResponse<String> created = TestStack.post(app() + "/fhir", jansen, "{\"resourceType\":\"Bundle\","
                + "\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"" + p + "\",\"resource\":{\"resourceType\":"
                + "\"Patient\",\"identifier\":[{\"system\":\"urn:it:cohort\",\"value\":\"eie-" + code + "\"}],"
                + "\"name\":[{\"family\":\"Cohort\",\"given\":[\"Eie\"]}],\"gender\":\"female\","
                + "\"birthDate\":\"1970-05-05\"},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":" + condition + ",\"request\":{\"method\":\"POST\",\"url\":\"Condition\"}}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        java.util.regex.Matcher located = java.util.regex.Pattern.compile("\"(Patient|Condition)/([A-Za-z0-9\\-.]+)/_history")
                .matcher(created.body());
        String patientId = null;
        String conditionId = null;
        while (located.find()) {
            if ("Patient".equals(located.group(1))) {
                patientId = located.group(2);
            } else {
                conditionId = located.group(2);
            }
        }
        assertThat(patientId).as(created.body()).isNotNull();
        assertThat(conditionId).as(created.body()).isNotNull();
        CohortPopulation.waitForMirror(app());
        String cohort = save("admin.amstel", "eie-" + code, def);
        assertThat(members("admin.amstel", cohort)).containsExactly("Patient/" + patientId);

        String stored = condition.replace(p, "Patient/" + patientId);
        String entered = stored.replaceFirst("\"clinicalStatus\":\\{[^}]*\\}\\]\\},", "\"verificationStatus\":"
                + "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-ver-status\","
                + "\"code\":\"entered-in-error\"}]},").replace("{\"resourceType\":\"Condition\",",
                "{\"resourceType\":\"Condition\",\"id\":\"" + conditionId + "\",");
        HttpResponse<String> error = TestStack.send("PUT", app() + "/fhir/Condition/" + conditionId, jansen, entered,
                "If-Match", "W/\"1\"");
        assertThat(error.statusCode()).as(error.body()).isEqualTo(200);
        CohortPopulation.waitForMirror(app());
        assertThat(members("admin.amstel", cohort)).as("entered in error").isEmpty();
        assertThat(count("admin.amstel", def).path("count").asLong()).as("entered in error").isZero();

        HttpResponse<String> restored = TestStack.send("PUT", app() + "/fhir/Condition/" + conditionId, jansen,
                stored.replace("{\"resourceType\":\"Condition\",", "{\"resourceType\":\"Condition\",\"id\":\""
                        + conditionId + "\","), "If-Match", "W/\"2\"");
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        CohortPopulation.waitForMirror(app());
        assertThat(members("admin.amstel", cohort)).as("corrected back").containsExactly("Patient/" + patientId);
    }

    // ---- differencing

    @Test
    void aQueryIsolatingAFewPersonsIsRefused() throws Exception {
        String base = coded("encounter", SCT, CHECKUP, null);
        String visits = SqlOracle.coded("Encounter", SCT, CHECKUP, null, null) + " INTERSECT " + SqlOracle.consented();
        int n = oracle(AMS, visits).size();
        int withoutColonoscopy = oracle(AMS, visits + " EXCEPT "
                + SqlOracle.coded("Procedure", SCT, COLONOSCOPY, null, null)).size();
        int withoutHypertension = oracle(AMS, visits + " EXCEPT "
                + SqlOracle.coded("Condition", SCT, HYPERTENSION, null, null)).size();
        assertThat(n - withoutColonoscopy).as("fixture: a small difference").isBetween(1, 4);
        assertThat(n - withoutHypertension).as("fixture: a large difference").isGreaterThanOrEqualTo(5);
        assertThat(post("researcher.lee", "cohorts/count", crit(base)).statusCode()).isEqualTo(200);
        HttpResponse<String> large = post("researcher.lee", "cohorts/count",
                crit(group("and", base, group("not", coded("condition", SCT, HYPERTENSION, null)))));
        assertThat(large.statusCode()).as(large.body()).isEqualTo(200);
        HttpResponse<String> isolating = post("researcher.lee", "cohorts/count",
                crit(group("and", base, group("not", coded("procedure", SCT, COLONOSCOPY, null)))));
        assertThat(isolating.statusCode()).as(isolating.body()).isEqualTo(409);
        assertThat(isolating.body()).contains("EHR-0830");
        HttpResponse<String> bad = post("researcher.lee", "cohorts/count", "{\"criteria\":{\"op\":\"not\",\"items\":["
                + base + "]}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("EHR-0819");
    }

    @Test
    void aTautologyCannotIsolateAFewPersons() throws Exception {
        String base = coded("encounter", SCT, CHECKUP, null);
        assertThat(fewWithColonoscopy()).as("fixture: a small difference").isBetween(1, 4);
        assertThat(post("researcher.lee", "cohorts/count", crit(base)).statusCode()).isEqualTo(200);
        // "any encounter" holds for everyone with a checkup: two criteria added, the same persons but the few
        HttpResponse<String> tautology = post("researcher.lee", "cohorts/count", crit(group("and", base,
                "{\"type\":\"encounter\"}", group("not", coded("procedure", SCT, COLONOSCOPY, null)))));
        assertThat(tautology.statusCode()).as(tautology.body()).isEqualTo(409);
        assertThat(tautology.body()).contains("EHR-0830");
    }

    @Test
    void aChangeOfOperatorsAloneCannotIsolateAFewPersons() throws Exception {
        String base = coded("encounter", SCT, CHECKUP, null);
        String withoutColonoscopy = group("and", base, group("not", coded("procedure", SCT, COLONOSCOPY, null)));
        assertThat(fewWithColonoscopy()).as("fixture: a small difference").isBetween(1, 4);
        // the same criteria in both: (base OR (base AND NOT c)) = base, (base AND (base AND NOT c)) = base minus c
        HttpResponse<String> all = post("researcher.lee", "cohorts/count", crit(group("or", base, withoutColonoscopy)));
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        HttpResponse<String> fewer = post("researcher.lee", "cohorts/count", crit(group("and", base,
                withoutColonoscopy)));
        assertThat(fewer.statusCode()).as(fewer.body()).isEqualTo(409);
        assertThat(fewer.body()).contains("EHR-0830");
    }

    @Test
    void theRefusalIsTheSameWhetherThePersonsInBetweenAreZeroOrAFew() throws Exception {
        String base = coded("encounter", SCT, CHECKUP, null);
        assertThat(fewWithColonoscopy()).as("fixture: a small difference").isBetween(1, 4);
        assertThat(post("researcher.lee", "cohorts/count", crit(base)).statusCode()).isEqualTo(200);
        HttpResponse<String> few = post("researcher.lee", "cohorts/count", crit(group("and", base,
                group("not", coded("procedure", SCT, COLONOSCOPY, null)))));
        forgetDisclosures();
        assertThat(post("researcher.lee", "cohorts/count", crit(base)).statusCode()).isEqualTo(200);
        HttpResponse<String> none = post("researcher.lee", "cohorts/count", crit(group("and", base,
                group("not", coded("condition", SCT, "it-nobody-has-this", null)))));
        assertThat(none.statusCode()).as(none.body()).isEqualTo(few.statusCode()).isEqualTo(409);
        assertThat(none.body()).isEqualTo(few.body()).contains("EHR-0830");
    }

    @Test
    void comparingTwoSavedCohortsThatDifferByAFewPersonsIsRefused() throws Exception {
        String base = coded("encounter", SCT, CHECKUP, null);
        assertThat(fewWithColonoscopy()).as("fixture: a small difference").isBetween(1, 4);
        String a = save("admin.amstel", "checkups", crit(base));
        String b = save("admin.amstel", "checkups without colonoscopy", crit(group("and", base,
                "{\"type\":\"encounter\"}", group("not", coded("procedure", SCT, COLONOSCOPY, null)))));
        HttpResponse<String> compare = get("researcher.lee", "cohorts/compare?a=" + a + "&b=" + b);
        assertThat(compare.statusCode()).as(compare.body()).isEqualTo(409);
        assertThat(compare.body()).contains("EHR-0830").doesNotContain("countA");
        // an admin's last count (another population, never guarded) is not shown to the researcher
        assertThat(post("admin.amstel", "cohorts/" + b + "/run", "").statusCode()).isEqualTo(200);
        assertThat(read(get("admin.amstel", "cohorts/" + b).body()).hasNonNull("lastCount")).isTrue();
        assertThat(read(get("researcher.lee", "cohorts/" + b).body()).hasNonNull("lastCount")).isFalse();
    }

    @Test
    void repeatedRefusalsLockTheUserOutAndTheMemoryIsInPostgres() throws Exception {
        String base = coded("encounter", SCT, CHECKUP, null);
        String isolating = crit(group("and", base, group("not", coded("procedure", SCT, COLONOSCOPY, null))));
        assertThat(post("researcher.lee", "cohorts/count", crit(base)).statusCode()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(post("researcher.lee", "cohorts/count", isolating).body()).contains("EHR-0830");
        }
        HttpResponse<String> other = post("researcher.lee", "cohorts/count",
                crit(coded("condition", SCT, HYPERTENSION, null)));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
        assertThat(other.body()).contains("EHR-0831");
        assertThat(disclosures()).as("1 answer and 5 refusals").isEqualTo(6);
        printGuardCosts();
        forgetDisclosures();
        assertThat(post("researcher.lee", "cohorts/count", isolating).statusCode()).isEqualTo(200);
    }

    private static int fewWithColonoscopy() throws Exception {
        String visits = SqlOracle.coded("Encounter", SCT, CHECKUP, null, null) + " INTERSECT " + SqlOracle.consented();
        return oracle(AMS, visits).size() - oracle(AMS, visits + " EXCEPT "
                + SqlOracle.coded("Procedure", SCT, COLONOSCOPY, null, null)).size();
    }

    /** The differencing guard's memory (PostgreSQL, V12) is emptied around each test: no test depends on another. */
    private static void forgetDisclosures() throws Exception {
        try (Connection c = TestStack.ownerConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM cohort_disclosure")) {
            s.executeUpdate();
        }
    }

    /** What the guard cost (the audit detail of the answered counts): printed for docs/benchmarks.md. */
    private static void printGuardCosts() throws Exception {
        try (Connection c = TestStack.ownerConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT detail FROM audit_event WHERE username = 'researcher.lee' AND interaction = 'cohort-count'"
                        + " AND detail LIKE '%differencing guard%' ORDER BY recorded_at DESC LIMIT 20");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                System.out.println("cohort guard cost: " + rs.getString(1));
            }
        }
    }

    private static int disclosures() throws Exception {
        try (Connection c = TestStack.ownerConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM cohort_disclosure");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ---- saved cohorts, compare, patient list (audited), FHIR Group

    @Test
    void savedCohortsRerunCompareListAndExport() throws Exception {
        String diabetes = crit(coded("condition", SCT, DIABETES, null));
        String flu = crit(coded("immunization", CVX, FLU, null));
        String a = save("admin.amstel", "diabetes", diabetes);
        String b = save("admin.amstel", "flu", flu);
        Set<String> da = oracle(AMS, SqlOracle.coded("Condition", SCT, DIABETES, null, null));
        Set<String> db = oracle(AMS, SqlOracle.coded("Immunization", CVX, FLU, null, null));
        HttpResponse<String> rerun = post("admin.amstel", "cohorts/" + a + "/run", "");
        assertThat(rerun.statusCode()).as(rerun.body()).isEqualTo(200);
        assertThat(read(rerun.body()).path("count").asLong()).isEqualTo(da.size());
        assertThat(read(get("admin.amstel", "cohorts/" + a).body()).path("lastCount").asLong()).isEqualTo(da.size());
        Set<String> both = new HashSet<>(da);
        both.retainAll(db);
        JsonNode cmp = read(get("admin.amstel", "cohorts/compare?a=" + a + "&b=" + b).body());
        assertThat(cmp.path("countA").asLong()).isEqualTo(da.size());
        assertThat(cmp.path("countB").asLong()).isEqualTo(db.size());
        assertThat(both.size()).as("fixture: overlap and differences of 5 or more").isGreaterThanOrEqualTo(5);
        assertThat(da.size() - both.size()).isGreaterThanOrEqualTo(5);
        assertThat(db.size() - both.size()).isGreaterThanOrEqualTo(5);
        assertThat(cmp.path("both").asLong()).isEqualTo(both.size());
        assertThat(cmp.path("onlyA").asLong()).isEqualTo(da.size() - both.size());
        assertThat(cmp.path("onlyB").asLong()).isEqualTo(db.size() - both.size());

        JsonNode patients = read(get("admin.amstel", "cohorts/" + a + "/patients").body());
        assertThat(patients.path("patients")).hasSize(da.size());
        assertThat(audited("admin.amstel", "cohort-patients", a)).isEqualTo(1);
        assertThat(audited("admin.amstel", "cohort-count", a)).isGreaterThanOrEqualTo(1);
        HttpResponse<String> group = get("admin.amstel", "cohorts/" + a + "/group");
        JsonNode g = read(group.body());
        assertThat(g.path("resourceType").asText()).isEqualTo("Group");
        assertThat(g.path("actual").asBoolean()).isTrue();
        List<String> members = new ArrayList<>();
        g.path("member").forEach(m -> members.add(m.path("entity").path("reference").asText()));
        List<String> listed = new ArrayList<>();
        patients.path("patients").forEach(p -> listed.add(p.asText()));
        assertThat(members).containsExactlyInAnyOrderElementsOf(listed);
        assertThat(get("admin.spree", "cohorts/" + a).statusCode()).isEqualTo(404);
    }

    // ---- the person cohort index: scope inside every nested clause; maintained on update and delete

    @Test
    void aPersonsRecordsAtAnotherInstitutionNeverCountInsideTheScope() throws Exception {
        String[] twofold = registeredAtBoth("Twofold");
        String spreePatient = twofold[2];
        created(TestStack.post(app() + "/fhir/Condition", TestStack.token("dr.mueller"),
                condition(spreePatient, DIABETES)));
        CohortPopulation.waitForMirror(app());
        // Amstel's population holds the person (a patient record there); the diabetes and the female record are
        // Spree's: counted in Amstel's scope they would add one person to each count below.
        String diabetes = coded("condition", SCT, DIABETES, null);
        assertMatches(diabetes, SqlOracle.coded("Condition", SCT, DIABETES, null, null));
        assertMatches("{\"type\":\"demographics\",\"gender\":\"female\",\"maxAge\":40}",
                SqlOracle.demographics("female", 0, 40, INDEX));
    }

    @Test
    void genderAgeAndInstitutionCellsMatchTheOracleForPersonsWithOneAndWithSeveralRecords() throws Exception {
        // a person registered at both institutions: de-spree (first by id) says female, born 1990; Amstel male, 1960
        String[] breakdown = registeredAtBoth("Breakdown");
        String person = breakdown[0];
        created(TestStack.post(app() + "/fhir/Condition", TestStack.token("dr.jansen"),
                condition(breakdown[1], DIABETES)));
        CohortPopulation.waitForMirror(app());
        List<String> scope = List.of("de-spree", AMS);
        Set<String> cohort = SqlOracle.persons(scope, SqlOracle.coded("Condition", SCT, DIABETES, null, null)
                + " INTERSECT " + SqlOracle.population());
        assertThat(cohort).as("fixture: the two-record person is in the cohort").contains(person);
        // each person's cells come from their record at the first institution (by id) that has one
        Map<String, String> gender = new HashMap<>();
        Map<String, String> band = new HashMap<>();
        Map<String, Integer> institution = new HashMap<>();
        String age = "date_part('year', age('" + INDEX + "'::date, (c->>'birthDate')::date))";
        String[][] bands = {{"0-17", "0", "17"}, {"18-39", "18", "39"}, {"40-64", "40", "64"}, {"65-79", "65", "79"},
                {"80+", "80", "999"}};
        for (String tenant : scope) {
            Set<String> here = SqlOracle.persons(tenant, SqlOracle.population());
            here.stream().filter(cohort::contains).forEach(p -> institution.merge(tenant, 1, Integer::sum));
            Map<String, String> g = new HashMap<>();
            for (String value : List.of("female", "male", "other")) {
                SqlOracle.persons(tenant, SqlOracle.population() + " AND c->>'gender' = '" + value + "'")
                        .forEach(p -> g.put(p, value));
            }
            Map<String, String> b = new HashMap<>();
            for (String[] x : bands) {
                SqlOracle.persons(tenant, SqlOracle.population() + " AND " + age + " BETWEEN " + x[1] + " AND " + x[2])
                        .forEach(p -> b.put(p, x[0]));
            }
            Set<String> born = SqlOracle.persons(tenant, SqlOracle.population() + " AND c ? 'birthDate'");
            for (String p : here) {
                gender.putIfAbsent(p, g.getOrDefault(p, "unknown"));
                if (born.contains(p)) {
                    band.putIfAbsent(p, b.getOrDefault(p, "unknown"));
                }
            }
        }
        assertThat(gender.get(person)).isEqualTo("female");
        assertThat(band.get(person)).isEqualTo("18-39");
        JsonNode breakdowns = count("platform.admin", crit(coded("condition", SCT, DIABETES, null))).path("breakdowns");
        int compared = 0;
        for (String dimension : List.of("gender", "ageBand")) {
            Map<String, String> of = dimension.equals("gender") ? gender : band;
            var cells = breakdowns.path(dimension).fields();
            while (cells.hasNext()) {
                var cell = cells.next();
                long expected = cohort.stream().filter(p -> cell.getKey().equals(of.getOrDefault(p, "unknown")))
                        .count();
                if (cell.getValue().isNumber()) {
                    assertThat(cell.getValue().asLong()).as(dimension + " " + cell.getKey()).isEqualTo(expected);
                    compared++;
                } else {
                    assertThat(cell.getValue().asText()).as(dimension + " " + cell.getKey()).isIn("<5", "suppressed");
                }
            }
        }
        assertThat(compared).as("cells shown as numbers").isGreaterThanOrEqualTo(4);
        for (String tenant : scope) {
            JsonNode cell = breakdowns.path("institution").path(tenant);
            if (cell.isNumber()) {
                assertThat(cell.asLong()).as(tenant).isEqualTo(institution.get(tenant).longValue());
            } else {
                assertThat(cell.asText()).as(tenant).isIn("<5", "suppressed");
            }
        }
        assertThat(breakdowns.path("institution").path(AMS).isNumber()).as("fixture: Amstel's cell is shown").isTrue();
    }

    @Test
    void anUpdatedOrDeletedRecordChangesTheCount() throws Exception {
        String code = "it-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String def = crit(coded("condition", SCT, code, null));
        String other = crit(coded("condition", SCT, code + "-b", null));
        String token = TestStack.token("dr.jansen");
        String patient = created(TestStack.post(app() + "/fhir/Patient", token, "{\"resourceType\":\"Patient\","
                + "\"name\":[{\"family\":\"Changing\"}]}"));
        String condition = created(TestStack.post(app() + "/fhir/Condition", token, condition(patient, code)));
        CohortPopulation.waitForMirror(app());
        assertThat(count("admin.amstel", def).path("count").asText()).isEqualTo("<5");
        String id = condition.substring(condition.indexOf('/') + 1);
        String updated = condition(patient, code + "-b").replace("{\"resourceType\":\"Condition\",",
                "{\"resourceType\":\"Condition\",\"id\":\"" + id + "\",");
        HttpResponse<String> put = TestStack.send("PUT", app() + "/fhir/" + condition, token, updated);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        CohortPopulation.waitForMirror(app());
        assertThat(count("admin.amstel", def).path("count").asText()).isEqualTo("0");
        assertThat(count("admin.amstel", other).path("count").asText()).isEqualTo("<5");
        HttpResponse<String> delete = TestStack.send("DELETE", app() + "/fhir/" + condition, token, null);
        assertThat(delete.statusCode()).as(delete.body()).isBetween(200, 204);
        CohortPopulation.waitForMirror(app());
        assertThat(count("admin.amstel", other).path("count").asText()).isEqualTo("0");
    }

    private static String condition(String patient, String code) {
        return "{\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"active\"}]},"
                + "\"code\":{\"coding\":[{\"system\":\"" + SCT + "\",\"code\":\"" + code + "\"}]},"
                + "\"subject\":{\"reference\":\"" + patient + "\"},\"onsetDateTime\":\"2020-01-01T00:00:00Z\"}";
    }

    /**
     * One person registered at both institutions — Amstel: male, born 1960; de-spree: female, born 1990 — returned as
     * {person, Amstel's Patient/id, de-spree's Patient/id}.
     */
    private String[] registeredAtBoth(String family) throws Exception {
        String amsPatient = created(TestStack.post(app() + "/fhir/Patient", TestStack.token("dr.jansen"),
                "{\"resourceType\":\"Patient\",\"gender\":\"male\",\"birthDate\":\"1960-01-01\",\"name\":[{\"family\":\""
                + family + "\"}]}"));
        String person = personOf(AMS, amsPatient);
        String consent = consent(person, "de-spree", null);
        String spreePatient;
        try {
            spreePatient = created(TestStack.post(app() + "/fhir/Patient", TestStack.token("dr.mueller"),
                    "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:meridian:person\",\"value\":\""
                    + person + "\"}],\"gender\":\"female\",\"birthDate\":\"1990-01-01\",\"name\":[{\"family\":\""
                    + family + "\"}]}"));
        } finally {
            consent(person, "de-spree", consent);
        }
        assertThat(personOf("de-spree", spreePatient)).as("linked to the same person").isEqualTo(person);
        return new String[] {person, amsPatient, spreePatient};
    }

    /**
     * The person's consent to an institution while it registers them (ADR 0018): a grant row as the portal records
     * it (this person has no patient account to ask), or — given its id — that grant revoked. Returns the grant id.
     */
    private static String consent(String person, String institution, String revoke) throws Exception {
        String id = revoke != null ? revoke : "it-consent-" + UUID.randomUUID().toString().substring(0, 12);
        try (Connection c = TestStack.ownerConnection()) {
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.person_id', ?, false)")) {
                bind.setString(1, person);
                bind.executeQuery().close();
            }
            try (PreparedStatement s = c.prepareStatement(revoke != null
                    ? "UPDATE access_grant SET revoked_at = clock_timestamp() WHERE id = ? AND person_id = ?"
                    : "INSERT INTO access_grant (id, person_id, grantee_tenant, scope, purpose, starts_at)"
                    + " VALUES (?, ?, '" + institution + "', 'exclude-sensitive', 'TREAT', clock_timestamp())")) {
                s.setString(1, id);
                s.setString(2, person);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }
        return id;
    }

    /** {@code Type/id} of a created resource, from its Location. */
    private static String created(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = read(r.body());
        return body.path("resourceType").asText() + "/" + body.path("id").asText();
    }

    /** The person of a record, read as the institution (row-level security binds the owner connection too). */
    private static String personOf(String tenant, String reference) throws Exception {
        String[] parts = reference.split("/");
        try (Connection c = TestStack.ownerConnection()) {
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.tenant_id', ?, false)")) {
                bind.setString(1, tenant);
                bind.executeQuery().close();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT person_id FROM resource_head WHERE tenant_id = ?"
                    + " AND resource_type = ? AND resource_id = ?")) {
                s.setString(1, tenant);
                s.setString(2, parts[0]);
                s.setString(3, parts[1]);
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).as(reference).isTrue();
                    return rs.getString(1);
                }
            }
        }
    }

    // ---- helpers

    private void assertMatches(String definition, String oracleSql) throws Exception {
        Set<String> expected = oracle(AMS, oracleSql);
        JsonNode r = count("admin.amstel", definition);
        Object published = expected.size() > 0 && expected.size() < 5 ? "<5" : String.valueOf(expected.size());
        assertThat(r.path("count").asText()).as(definition + " oracle " + expected.size()).isEqualTo(published);
        assertThat(r.path("tookMs").isNumber()).isTrue();
    }

    /** The oracle's persons within the institution's population (a person with a patient record there). */
    private static Set<String> oracle(String tenant, String sql) throws Exception {
        return SqlOracle.persons(tenant, "(" + sql + ") INTERSECT " + SqlOracle.population());
    }

    private static String crit(String node) {
        return "{\"indexDate\":\"" + INDEX + "\",\"criteria\":" + node + "}";
    }

    private static String group(String op, String... items) {
        return "{\"op\":\"" + op + "\",\"items\":[" + String.join(",", items) + "]}";
    }

    private static String coded(String type, String system, String code, String window) {
        return "{\"type\":\"" + type + "\",\"codes\":[\"" + system + "|" + code + "\"]"
                + (window == null ? "" : ",\"window\":" + window) + "}";
    }

    private JsonNode count(String user, String definition) throws Exception {
        HttpResponse<String> r = post(user, "cohorts/count", definition.startsWith("{\"indexDate\"")
                || definition.startsWith("{\"criteria\"") ? definition : crit(definition));
        assertThat(r.statusCode()).as(user + " " + definition + " -> " + r.body()).isEqualTo(200);
        return read(r.body());
    }

    /** The patients of a saved cohort evaluated now, as its tenant admin lists them. */
    private List<String> members(String user, String cohortId) throws Exception {
        HttpResponse<String> r = get(user, "cohorts/" + cohortId + "/patients");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        read(r.body()).path("patients").forEach(p -> out.add(p.asText()));
        return out;
    }

    private String save(String user, String name, String definition) throws Exception {
        String body = "{\"name\":\"" + name + "\"," + definition.substring(1);
        HttpResponse<String> r = post(user, "cohorts", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return read(r.body()).path("id").asText();
    }

    private HttpResponse<String> post(String user, String path, String body) throws Exception {
        return send("POST", path, user, body);
    }

    private HttpResponse<String> get(String user, String path) throws Exception {
        return send("GET", path, user, null);
    }

    private HttpResponse<String> send(String method, String path, String user, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app() + "/api/" + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TestStack.token(user))
                .header("Content-Type", "application/json")
                .header("Accept", path.endsWith("/group") ? "application/fhir+json" : "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode read(String body) throws Exception {
        return JSON.readTree(body);
    }

    private static int audited(String user, String interaction, String cohortId) throws Exception {
        try (Connection c = TestStack.ownerConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM audit_event WHERE username = ? AND interaction = ? AND resource_id = ?")) {
            s.setString(1, user);
            s.setString(2, interaction);
            s.setString(3, cohortId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
