package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Patient access grants, end to end: patient.anna (person person-anna) has a record at Amstel; she grants
 * dr.mueller (Spree, DE) access; he reads across institutions only while the grant is active and only what its
 * scope covers; revocation works at once; row-level security admits the rows only under the grant.
 */
@ExtendWith(ArquillianExtension.class)
class GrantIT {

    private static final String ANNA = "person-anna";

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private AccessFixtures fx;
    private String anna;

    @BeforeEach
    void setUp() throws Exception {
        fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        fx.ensureTenants();
        anna = AccessFixtures.token("patient.anna");
        revokeEverythingAnnaGranted();
        fx.ensureInDirectory("dr.mueller");
    }

    /** Tests share Anna (her token's person): none leaves an active grant behind (revoking twice answers 409). */
    @AfterEach
    void revokeEverythingAnnaGranted() throws Exception {
        fx.revokeAllGrants(anna);
    }

    private String grant(String body) throws Exception {
        HttpResponse<String> r = AccessFixtures.send("POST", fx.api("grants"), anna, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return AccessFixtures.idOf(r.body());
    }

    @Test
    void grantAdmitsTheGranteeAcrossInstitutionsUntilRevoked() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String obs = fx.observation(jansen, fx.patient(jansen, ANNA));
        String mueller = AccessFixtures.token("dr.mueller");
        assertThat(get("Observation/" + obs, mueller)).isEqualTo(404);
        assertThat(appRoleSeesAnnasAmstelRows()).as("RLS without grant").isZero();

        String id = grant("{\"practitioner\":\"prac-de-mueller\",\"confirmCrossBorder\":true,\"scope\":\"exclude-sensitive\",\"purpose\":\"TREAT\"}");
        assertThat(get("Observation/" + obs, mueller)).isEqualTo(200);
        assertThat(appRoleSeesAnnasAmstelRows()).as("RLS under the grant").isPositive();

        HttpResponse<String> revoked = AccessFixtures.send("DELETE", fx.api("grants/" + id), anna, null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(get("Observation/" + obs, mueller)).isEqualTo(404);
        assertThat(appRoleSeesAnnasAmstelRows()).as("RLS after revocation").isZero();
        assertThat(AccessFixtures.auditOf("dr.mueller", obs)).containsExactly("read:4:null", "read:0:TREAT",
                "read:4:null");
        assertThat(AccessFixtures.auditOf("patient.anna", id)).containsExactly("grant-create:0:PATADMIN",
                "grant-revoke:0:PATADMIN");
    }

    @Test
    void sensitiveCategoryIsWithheldUnlessTheGrantIncludesIt() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String patient = fx.patient(jansen, ANNA);
        String plain = fx.observation(jansen, patient);
        String psy = fx.observation(jansen, patient, "PSY");
        String mueller = AccessFixtures.token("dr.mueller");
        String id = grant("{\"practitioner\":\"prac-de-mueller\",\"confirmCrossBorder\":true,\"scope\":\"exclude-sensitive\",\"purpose\":\"TREAT\"}");
        assertThat(get("Observation/" + plain, mueller)).isEqualTo(200);
        assertThat(get("Observation/" + psy, mueller)).isEqualTo(404);
        AccessFixtures.send("DELETE", fx.api("grants/" + id), anna, null);
        grant("{\"practitioner\":\"prac-de-mueller\",\"confirmCrossBorder\":true,\"scope\":\"categories\",\"categories\":[\"PSY\"],"
                + "\"purpose\":\"TREAT\"}");
        assertThat(get("Observation/" + psy, mueller)).isEqualTo(200);
    }

    @Test
    void expiredGrantGivesNoAccess() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String obs = fx.observation(jansen, fx.patient(jansen, ANNA));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        grant("{\"institution\":\"de-spree\",\"confirmCrossBorder\":true,\"scope\":\"all\",\"purpose\":\"TREAT\",\"start\":\""
                + now.minusSeconds(7200) + "\",\"end\":\"" + now.minusSeconds(3600) + "\"}");
        assertThat(get("Observation/" + obs, AccessFixtures.token("dr.mueller"))).isEqualTo(404);
        assertThat(appRoleSeesAnnasAmstelRows()).isZero();
    }

    @Test
    void invalidGrantsAreRefusedWithCodes() throws Exception {
        assertError(AccessFixtures.send("POST", fx.api("grants"), anna, "{\"scope\":\"all\"}"), 400, "EHR-0601");
        assertError(AccessFixtures.send("POST", fx.api("grants"), anna, "{\"institution\":\"de-spree\","
                + "\"start\":\"2026-01-02T00:00:00Z\",\"end\":\"2026-01-01T00:00:00Z\"}"), 400, "EHR-0602");
        assertError(AccessFixtures.send("POST", fx.api("grants"), anna, "{\"institution\":\"xx-nowhere\"}"), 400,
                "EHR-0611");
        assertError(AccessFixtures.send("POST", fx.api("grants"), anna, "{\"practitioner\":\"prac-xx-nobody\"}"),
                400, "EHR-0614");
        assertError(AccessFixtures.send("POST", fx.api("grants"), AccessFixtures.token("dr.jansen"),
                "{\"institution\":\"de-spree\"}"), 403, "EHR-0600");
        assertError(AccessFixtures.send("DELETE", fx.api("grants/no-such-grant"), anna, null), 404, "EHR-0612");
    }

    @Test
    void patientReadsOwnRecordAtEveryInstitutionAndNobodyElses() throws Exception {
        String mueller = AccessFixtures.token("dr.mueller");
        String obs = fx.observation(mueller, fx.patientWithConsent(mueller, "de-spree", ANNA, anna));
        assertThat(get("Observation/" + obs, anna)).isEqualTo(200);
        assertThat(get("Observation/" + obs, AccessFixtures.token("patient.bram"))).isEqualTo(404);
        assertThat(AccessFixtures.auditOf("patient.anna", obs)).containsExactly("read:0:PATRQT");
    }

    private int get(String path, String token) throws Exception {
        return AccessFixtures.send("GET", fx.fhir(path), token, null).statusCode();
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"code\":\"" + code + "\"");
    }

    /** The second wall on its own: what the app role sees of Anna's Amstel rows when bound as dr.mueller. */
    private static int appRoleSeesAnnasAmstelRows() throws Exception {
        try (Connection c = AccessFixtures.app()) {
            c.setAutoCommit(false);
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.tenant_id', 'de-spree', true),"
                    + " set_config('app.practitioner_id', 'prac-de-mueller', true)")) {
                bind.execute();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM resource_version"
                    + " WHERE tenant_id = 'nl-amstel' AND person_id = ?")) {
                s.setString(1, ANNA);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                } finally {
                    c.rollback();
                }
            }
        }
    }
}
