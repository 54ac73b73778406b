package health.meridian.web.it.cohort;

import health.meridian.web.it.TestStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The correctness oracle: cohorts evaluated by SQL directly on PostgreSQL (schema owner, one institution at a time
 * under its row-level security binding), over the stored FHIR JSON of the current versions — written without
 * the application's code: its own code paths, date fields and set operations.
 */
final class SqlOracle {

    /** Current, not deleted versions with a person: type t, person p, FHIR JSON c. */
    private static final String CURRENT = "WITH cur AS (SELECT h.resource_type AS t, h.person_id AS p,"
            + " v.content AS c FROM resource_head h JOIN resource_version v ON v.tenant_id = h.tenant_id"
            + " AND v.resource_type = h.resource_type AND v.resource_id = h.resource_id"
            + " AND v.version = h.current_version WHERE NOT h.deleted AND h.person_id IS NOT NULL) ";

    private SqlOracle() {
    }

    /** Persons (across the institutions given) returned by a SELECT of one column p over {@code cur}. */
    static Set<String> persons(List<String> tenants, String select) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = TestStack.ownerConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET TIME ZONE 'UTC'");
            }
            for (String tenant : tenants) {
                try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.tenant_id', ?, false)")) {
                    bind.setString(1, tenant);
                    bind.executeQuery().close();
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CURRENT + select)) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    static Set<String> persons(String tenant, String select) throws Exception {
        return persons(List.of(tenant), select);
    }

    /** Persons with a patient record. */
    static String population() {
        return "SELECT p FROM cur WHERE t = 'Patient'";
    }

    /** Persons with an active research Consent. */
    static String consented() {
        return "SELECT p FROM cur WHERE t = 'Consent' AND c->>'status' = 'active' AND jsonb_path_exists(c,"
                + " '$.category[*].coding[*] ? (@.system == \"" + CohortPopulation.CONSENT_CATEGORY
                + "\" && @.code == \"research\")')";
    }

    /**
     * Persons with a record of a type having the code (at the type's code path), its date in [from, to), not entered
     * in error.
     */
    static String coded(String type, String system, String code, String from, String to) {
        String path = switch (type) {
            case "MedicationRequest" -> "$.medicationCodeableConcept.coding[*]";
            case "Immunization" -> "$.vaccineCode.coding[*]";
            case "Encounter" -> "$.type[*].coding[*]";
            default -> "$.code.coding[*]";
        };
        // an entry entered in error states nothing about the patient: its status, or a Condition's verification status
        String sql = "SELECT p FROM cur WHERE t = '" + type + "' AND coalesce(c->>'status', '') <> 'entered-in-error'"
                + " AND NOT jsonb_path_exists(c, '$.verificationStatus.coding[*] ? (@.code == \"entered-in-error\")')";
        if (code != null) {
            sql += " AND jsonb_path_exists(c, '" + path + " ? (@.system == \"" + system + "\" && @.code == \""
                    + code + "\")')";
        }
        if (from != null) {
            sql += " AND " + date(type) + " >= '" + from + "'::timestamptz";
        }
        if (to != null) {
            sql += " AND " + date(type) + " < '" + to + "'::timestamptz";
        }
        return sql;
    }

    /** The record's clinically relevant time, straight from the JSON. */
    static String date(String type) {
        return switch (type) {
            case "Condition" -> "(c->>'onsetDateTime')::timestamptz";
            case "Observation" -> "(c->>'effectiveDateTime')::timestamptz";
            case "MedicationRequest" -> "(c->>'authoredOn')::timestamptz";
            case "Procedure" -> "(c->>'performedDateTime')::timestamptz";
            case "Immunization" -> "(c->>'occurrenceDateTime')::timestamptz";
            case "Encounter" -> "(c#>>'{period,start}')::timestamptz";
            default -> throw new IllegalArgumentException(type);
        };
    }

    /** HbA1c-like: observations with the code and valueQuantity compared in SQL, unit by UCUM code. */
    static String observationValue(String system, String code, String op, double value, String unit) {
        return coded("Observation", system, code, null, null) + " AND (c#>>'{valueQuantity,value}')::numeric " + op
                + " " + value + " AND coalesce(c#>>'{valueQuantity,code}', c#>>'{valueQuantity,unit}') = '" + unit + "'";
    }

    /** Patients of a gender aged [min, max] whole years at the index date. */
    static String demographics(String gender, int min, int max, String indexDate) {
        String age = "date_part('year', age('" + indexDate + "'::date, (c->>'birthDate')::date))";
        return "SELECT p FROM cur WHERE t = 'Patient' AND c->>'gender' = '" + gender + "' AND " + age + " BETWEEN "
                + min + " AND " + max;
    }

    /** Persons with a record B 0..days UTC days after a record A (both any time). */
    static String within(String typeA, String systemA, String codeA, String typeB, String systemB, String codeB,
                         int days) {
        return "SELECT a.p FROM (" + dated(typeA, systemA, codeA) + ") a JOIN (" + dated(typeB, systemB, codeB)
                + ") b ON a.p = b.p WHERE b.d - a.d BETWEEN 0 AND " + days;
    }

    private static String dated(String type, String system, String code) {
        return coded(type, system, code, null, null).replace("SELECT p FROM", "SELECT p, (" + date(type)
                + ")::date AS d FROM");
    }
}
