package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.migrations.AuditVerify;
import health.meridian.migrations.AuditChainVerifier.Verdict;
import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit trail as stored: rows sealed into signed batches (ADR 0019) the verifier accepts; an altered, deleted or
 * reordered row is reported at its exact seq (tampering as the schema owner, inside a transaction that is rolled back); the app
 * role cannot update or delete; the FHIR AuditEvent view is limited to tenant admins and the patient. The platform
 * admin's in-app verification ({@code POST /api/audit-events/verification}) reports a really committed alteration
 * at its seq, and only the platform admin may run it.
 */
@ExtendWith(ArquillianExtension.class)
class AuditTrailIT {

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private AccessFixtures fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        fx.ensureTenants();
        String jansen = AccessFixtures.token("dr.jansen");
        fx.observation(jansen, fx.patient(jansen, AccessFixtures.newPerson()));
    }

    @Test
    void verifierReportsTheExactAlteredDeletedOrReorderedRow() throws Exception {
        try (Connection c = AccessFixtures.owner()) {
            c.setAutoCommit(false);
            long middle = lastSeq(c) - 1;
            awaitSealed(c, middle + 1);
            assertThat(AuditVerify.verify(c).intact()).as(AuditVerify.verify(c).toString()).isTrue();
            unlock(c);
            update(c, "UPDATE audit_event SET username = 'mallory' WHERE seq = " + middle);
            Verdict altered = AuditVerify.verify(c);
            assertThat(altered.brokenAt()).as(altered.toString()).isEqualTo(middle);
            assertThat(altered.toString()).startsWith("EHR-0702").contains("altered");
            c.rollback();

            unlock(c);
            update(c, "DELETE FROM audit_event WHERE seq = " + middle);
            assertThat(AuditVerify.verify(c).brokenAt()).isEqualTo(middle);
            c.rollback();

            unlock(c);
            update(c, "UPDATE audit_event SET seq = -seq WHERE seq IN (" + middle + ", " + (middle + 1) + ")");
            update(c, "UPDATE audit_event SET seq = " + middle + " WHERE seq = -" + (middle + 1));
            update(c, "UPDATE audit_event SET seq = " + (middle + 1) + " WHERE seq = -" + middle);
            assertThat(AuditVerify.verify(c).brokenAt()).isEqualTo(middle);
            c.rollback();
            assertThat(AuditVerify.verify(c).intact()).isTrue();
        }
    }

    @Test
    void appRoleCannotUpdateOrDeleteAuditRows() throws Exception {
        try (Connection c = AccessFixtures.app(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_event SET username = 'mallory'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_event"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_chain_head SET seq = 0"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
    }

    @Test
    void auditEventsAreReadableByTheTenantAdminAndThePatientOnly() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String patient = fx.patient(jansen, "person-bram");
        HttpResponse<String> admin = AccessFixtures.send("GET", fx.fhir("AuditEvent?patient=Patient/" + patient),
                AccessFixtures.token("admin.amstel"), null);
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        assertThat(admin.body()).contains("\"resourceType\":\"AuditEvent\"").contains("Patient/" + patient);
        HttpResponse<String> spree = AccessFixtures.send("GET", fx.fhir("AuditEvent?patient=Patient/" + patient),
                AccessFixtures.token("admin.spree"), null);
        assertThat(spree.body()).doesNotContain("Patient/" + patient);
        HttpResponse<String> bram = AccessFixtures.send("GET", fx.fhir("AuditEvent"),
                AccessFixtures.token("patient.bram"), null);
        assertThat(bram.statusCode()).isEqualTo(200);
        assertThat(bram.body()).contains("Patient/" + patient);
        HttpResponse<String> anna = AccessFixtures.send("GET", fx.fhir("AuditEvent"),
                AccessFixtures.token("patient.anna"), null);
        assertThat(anna.body()).doesNotContain("Patient/" + patient);
        HttpResponse<String> clinician = AccessFixtures.send("GET", fx.fhir("AuditEvent"), jansen, null);
        assertThat(clinician.statusCode()).isEqualTo(403);
        assertThat(clinician.body()).contains("EHR-0330");
    }

    /**
     * Issue #18: a reader filters by what they see. Amstel's clinician is refused a record held at Spree: the audit
     * row names Spree's patient (for Spree and the patient), but Amstel's admin sees it redacted, and so a
     * {@code patient=} filter for that record finds nothing, in the JSON API and in FHIR; Spree's admin finds it.
     */
    @Test
    void aTenantAdminCannotFilterByAPatientTheyWouldSeeRedacted() throws Exception {
        String spreePatient = fx.patient(AccessFixtures.token("dr.mueller"), AccessFixtures.newPerson());
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient/" + spreePatient), AccessFixtures.token("dr.jansen"),
                null).statusCode()).isEqualTo(404);
        String amstel = AccessFixtures.token("admin.amstel");
        assertThat(entries(fx.api("audit-events?patient=" + spreePatient), amstel)).isEmpty();
        HttpResponse<String> fhir = AccessFixtures.send("GET", fx.fhir("AuditEvent?patient=Patient/" + spreePatient),
                amstel, null);
        assertThat(fhir.statusCode()).as(fhir.body()).isEqualTo(200);
        assertThat(fhir.body()).doesNotContain("\"resourceType\":\"AuditEvent\"");
        com.fasterxml.jackson.databind.JsonNode own = entries(fx.api("audit-events?user=dr.jansen&count=50"), amstel);
        com.fasterxml.jackson.databind.JsonNode refused = find(own, "Patient/" + spreePatient);
        assertThat(refused.hasNonNull("patient") || refused.hasNonNull("custodian")).as(refused.toString()).isFalse();
        assertThat(find(entries(fx.api("audit-events?patient=" + spreePatient), AccessFixtures.token("admin.spree")),
                "Patient/" + spreePatient).path("user").asText()).isEqualTo("dr.jansen");
    }

    /**
     * The platform admin's refused reads look alike whether the id is held somewhere or nowhere (both rows shown,
     * neither naming a custodian or patient); and a patient's reads at another institution are not shown to the
     * institution the patient's account belongs to, only to the holder.
     */
    @Test
    void refusalsDoNotRevealWhetherTheTargetExistsAndPatientsReadsElsewhereStayElsewhere() throws Exception {
        String spreeBram = fx.patientWithConsent(AccessFixtures.token("dr.mueller"), "de-spree", "person-bram",
                AccessFixtures.token("patient.bram"));
        String nowhere = "it-nowhere-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String platform = AccessFixtures.token("platform.admin");
        for (String id : new String[] {spreeBram, nowhere}) {
            assertThat(AccessFixtures.send("GET", fx.fhir("Patient/" + id), platform, null).statusCode()).isEqualTo(404);
        }
        com.fasterxml.jackson.databind.JsonNode mine = entries(fx.api("audit-events?user=platform.admin&count=50"),
                platform);
        for (String id : new String[] {spreeBram, nowhere}) {
            com.fasterxml.jackson.databind.JsonNode row = find(mine, "Patient/" + id);
            assertThat(row.hasNonNull("patient") || row.hasNonNull("custodian")).as(row.toString()).isFalse();
        }
        HttpResponse<String> own = AccessFixtures.send("GET", fx.fhir("Patient/" + spreeBram),
                AccessFixtures.token("patient.bram"), null);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(AccessFixtures.send("GET", fx.api("audit-events?user=patient.bram&count=200"),
                AccessFixtures.token("admin.amstel"), null).body()).doesNotContain(spreeBram);
        assertThat(find(entries(fx.api("audit-events?user=patient.bram&count=50"), AccessFixtures.token("admin.spree")),
                "Patient/" + spreeBram).path("patient").asText()).isEqualTo("Patient/" + spreeBram);
    }

    private static com.fasterxml.jackson.databind.JsonNode entries(String url, String token) throws Exception {
        HttpResponse<String> r = AccessFixtures.send("GET", url, token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("entries");
    }

    private static com.fasterxml.jackson.databind.JsonNode find(com.fasterxml.jackson.databind.JsonNode entries,
                                                                String resource) {
        for (com.fasterxml.jackson.databind.JsonNode e : entries) {
            if (resource.equals(e.path("resource").asText())) {
                return e;
            }
        }
        throw new AssertionError("no audit entry about " + resource + " in " + entries);
    }

    /** Waits (up to 20 s) until the sealer has sealed every entry up to {@code seq} into a signed batch. */
    static void awaitSealed(Connection c, long seq) throws SQLException, InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM audit_event e WHERE e.seq <= ?"
                    + " AND NOT EXISTS (SELECT 1 FROM audit_seal_leaf l WHERE l.seq = e.seq)")) {
                s.setLong(1, seq);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("entries up to " + seq + " still unsealed after 20 s");
            }
            Thread.sleep(50);
        }
    }

    private static long lastSeq(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT max(seq) FROM audit_event");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void thePlatformAdminVerifiesTheWholeChainInTheAppAndSeesAnAlteredRow() throws Exception {
        String platform = AccessFixtures.token("platform.admin");
        String url = fx.api("audit-events/verification");
        com.fasterxml.jackson.databind.JsonNode ok = verification(url, platform);
        assertThat(ok.path("intact").asBoolean()).as(ok.toString()).isTrue();
        assertThat(ok.path("rowsChecked").asLong()).isPositive();
        assertThat(AccessFixtures.send("POST", url, AccessFixtures.token("admin.amstel"), "{}").statusCode())
                .as("a tenant admin sees only their institution's rows: the whole chain is not theirs").isEqualTo(403);
        assertThat(AccessFixtures.send("POST", url, AccessFixtures.token("dr.jansen"), "{}").statusCode())
                .isEqualTo(403);
        assertThat(AccessFixtures.send("POST", url, null, "{}").statusCode()).isEqualTo(401);

        try (Connection c = AccessFixtures.owner()) {
            c.setAutoCommit(true);
            long middle = lastSeq(c) - 1;
            awaitSealed(c, middle);
            String original;
            try (PreparedStatement s = c.prepareStatement("SELECT username FROM audit_event WHERE seq = ?")) {
                s.setLong(1, middle);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    original = rs.getString(1);
                }
            }
            unlock(c);
            try {
                update(c, "UPDATE audit_event SET username = 'mallory' WHERE seq = " + middle);
                com.fasterxml.jackson.databind.JsonNode broken = verification(url, platform);
                assertThat(broken.path("intact").asBoolean()).as(broken.toString()).isFalse();
                assertThat(broken.path("brokenAt").asLong()).isEqualTo(middle);
                assertThat(broken.path("rowsChecked").asLong()).isLessThan(middle);
                assertThat(broken.path("problem").asText()).contains("altered");
            } finally {
                try (PreparedStatement s = c.prepareStatement("UPDATE audit_event SET username = ? WHERE seq = ?")) {
                    s.setString(1, original);
                    s.setLong(2, middle);
                    s.executeUpdate();
                }
                update(c, "ALTER TABLE audit_event ENABLE TRIGGER audit_event_immutable");
            }
            assertThat(verification(url, platform).path("intact").asBoolean()).as("restored").isTrue();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE"
                    + " outcome = '0' AND detail LIKE 'EHR-0702 audit trail broken at seq " + middle + ":%'),"
                    + " count(*) FILTER (WHERE outcome <> '0' AND username = 'admin.amstel')"
                    + " FROM audit_event WHERE interaction = 'audit-verify'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the verification and its verdict are audited").isPositive();
                assertThat(rs.getLong(2)).as("so is the tenant admin's refused attempt").isPositive();
            }
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode verification(String url, String token) throws Exception {
        HttpResponse<String> r = AccessFixtures.send("POST", url, token, "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    }

    /** What an attacker with the owner's rights does first: switch off the append-only trigger. */
    private static void unlock(Connection c) throws SQLException {
        update(c, "ALTER TABLE audit_event DISABLE TRIGGER audit_event_immutable");
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
