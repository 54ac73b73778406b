package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
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
 * Type-level history ({@code GET /fhir/Observation/_history}) goes through the same scope as search: own versions
 * newest first in pages, deletions as DELETE entries; another institution's versions only under an active grant
 * (within its scope) and gone once it is revoked; nothing for roles that read no clinical content, even where
 * row-level security alone would admit the rows.
 */
@ExtendWith(ArquillianExtension.class)
class TypeHistoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
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
    }

    /** Anna is shared with other tests: no active grant of hers is left behind. */
    @AfterEach
    void revokeEverythingAnnaGranted() throws Exception {
        fx.revokeAllGrants(anna);
    }

    @Test
    void ownVersionsNewestFirstInPagesWithDeletionsAsDeleteEntries() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String patient = fx.patient(jansen, AccessFixtures.newPerson());
        String since = databaseNow();
        String first = fx.observation(jansen, patient);
        HttpResponse<String> updated = AccessFixtures.send("PUT", fx.fhir("Observation/" + first), jansen,
                "{\"resourceType\":\"Observation\",\"id\":\"" + first + "\",\"status\":\"amended\",\"code\":{\"text\":"
                        + "\"pulse\"},\"subject\":{\"reference\":\"Patient/" + patient + "\"}}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        String second = fx.observation(jansen, patient);
        assertThat(AccessFixtures.send("DELETE", fx.fhir("Observation/" + second), jansen, null).statusCode())
                .isIn(200, 204);

        JsonNode page1 = history(jansen, "_since=" + AccessFixtures.enc(since) + "&_count=2");
        assertThat(page1.path("type").asText()).isEqualTo("history");
        assertThat(page1.path("total").asInt()).isEqualTo(4);
        assertThat(entries(page1)).containsExactly("DELETE " + second + "/2", "POST " + second + "/1");
        assertThat(page1.path("entry").get(0).has("resource")).isFalse();
        assertThat(page1.path("entry").get(1).path("resource").path("meta").path("tag").toString())
                .contains("urn:meridian:custodian").contains("nl-amstel");
        String next = link(page1, "next");
        assertThat(next).as("a next page").isNotNull();

        JsonNode page2 = JSON.readTree(AccessFixtures.send("GET", next, jansen, null).body());
        assertThat(page2.path("type").asText()).isEqualTo("history");
        assertThat(entries(page2)).containsExactly("PUT " + first + "/2", "POST " + first + "/1");
        assertThat(link(page2, "next")).isNull();
    }

    @Test
    void anotherInstitutionsVersionsOnlyUnderAnActiveGrantAndNeverForRolesWithoutClinicalAccess() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String mueller = AccessFixtures.token("dr.mueller");
        String since = databaseNow();
        String amstel = fx.observation(jansen, fx.patient(jansen, ANNA));
        String spreePatient = fx.patientWithConsent(mueller, "de-spree", ANNA, anna);
        String spree = fx.observation(mueller, spreePatient);
        String spreePsy = fx.observation(mueller, spreePatient, "PSY");
        String q = "_since=" + AccessFixtures.enc(since) + "&_count=100";

        assertThat(ids(history(jansen, q))).contains(amstel).doesNotContain(spree, spreePsy);

        HttpResponse<String> granted = AccessFixtures.send("POST", fx.api("grants"), anna, "{\"institution\":"
                + "\"nl-amstel\",\"confirmCrossBorder\":true,\"scope\":\"exclude-sensitive\",\"purpose\":\"TREAT\"}");
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        assertThat(ids(history(jansen, q))).contains(amstel, spree).doesNotContain(spreePsy);
        // row-level security alone admits Spree's rows to anyone bound to Amstel now; the scope must not
        assertThat(appRoleBoundToAmstelSeesAnnasSpreeRows()).as("RLS under the institution grant").isPositive();
        JsonNode admin = history(AccessFixtures.token("admin.amstel"), q);
        assertThat(admin.path("total").asInt()).isZero();
        assertThat(ids(admin)).isEmpty();
        assertThat(ids(history(AccessFixtures.token("nurse.visser"), q))).as("grant yes, Amstel care team no")
                .contains(spree).doesNotContain(amstel, spreePsy);

        AccessFixtures.send("DELETE", fx.api("grants/" + AccessFixtures.idOf(granted.body())), anna, null);
        assertThat(ids(history(jansen, q))).contains(amstel).doesNotContain(spree, spreePsy);
    }

    @Test
    void patientsSeeTheirOwnVersionsAtEveryInstitutionAndNobodyElses() throws Exception {
        String since = databaseNow();
        String amstel = fx.observation(AccessFixtures.token("dr.jansen"),
                fx.patient(AccessFixtures.token("dr.jansen"), ANNA));
        String mueller = AccessFixtures.token("dr.mueller");
        String spreePsy = fx.observation(mueller, fx.patientWithConsent(mueller, "de-spree", ANNA, anna), "PSY");
        String q = "_since=" + AccessFixtures.enc(since) + "&_count=100";
        assertThat(ids(history(anna, q))).contains(amstel, spreePsy);
        assertThat(ids(history(AccessFixtures.token("patient.bram"), q))).doesNotContain(amstel, spreePsy);
    }

    @Test
    void theCapabilityStatementListsTypeHistory() throws Exception {
        JsonNode cs = JSON.readTree(AccessFixtures.send("GET", fx.fhir("metadata"), null, null).body());
        List<String> interactions = new ArrayList<>();
        for (JsonNode r : cs.path("rest").get(0).path("resource")) {
            if ("Observation".equals(r.path("type").asText())) {
                r.path("interaction").forEach(i -> interactions.add(i.path("code").asText()));
            }
        }
        assertThat(interactions).contains("history-type", "history-instance", "search-type");
    }

    private JsonNode history(String token, String query) throws Exception {
        HttpResponse<String> r = AccessFixtures.send("GET", fx.fhir("Observation/_history?" + query), token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** "METHOD id/version" per entry. */
    private static List<String> entries(JsonNode bundle) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : bundle.path("entry")) {
            String url = e.path("request").path("url").asText();
            String idAndVersion = url.replaceFirst("^.*Observation/", "").replace("/_history/", "/");
            out.add(e.path("request").path("method").asText() + " " + idAndVersion);
        }
        return out;
    }

    private static List<String> ids(JsonNode bundle) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : bundle.path("entry")) {
            out.add(e.path("request").path("url").asText().replaceFirst("^.*Observation/", "")
                    .replaceFirst("/_history/.*$", ""));
        }
        return out;
    }

    private static String link(JsonNode bundle, String relation) {
        for (JsonNode l : bundle.path("link")) {
            if (relation.equals(l.path("relation").asText())) {
                return l.path("url").asText();
            }
        }
        return null;
    }

    private static String databaseNow() throws Exception {
        try (Connection c = AccessFixtures.owner(); PreparedStatement s = c.prepareStatement(
                "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The second wall on its own: Anna's Spree rows the app role sees when bound to Amstel (no practitioner). */
    private static int appRoleBoundToAmstelSeesAnnasSpreeRows() throws Exception {
        try (Connection c = AccessFixtures.app()) {
            c.setAutoCommit(false);
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.tenant_id', 'nl-amstel', true)")) {
                bind.execute();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM resource_version"
                    + " WHERE tenant_id = 'de-spree' AND person_id = ? AND resource_type = 'Observation'")) {
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
