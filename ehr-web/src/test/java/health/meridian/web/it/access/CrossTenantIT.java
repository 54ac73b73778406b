package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Another institution's records do not exist for a caller without a grant: read, vread, history and search answer
 * 404 / no hits, and every attempt leaves an audit event with outcome 4 (minor failure). Within the institution,
 * the care team decides.
 */
@ExtendWith(ArquillianExtension.class)
class CrossTenantIT {

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
    }

    @Test
    void anotherInstitutionsResourceIsNotFoundByIdVersionHistoryOrSearchAndEachAttemptIsAudited() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String person = AccessFixtures.newPerson();
        String patient = fx.patient(jansen, person);
        String obs = fx.observation(jansen, patient);
        fx.careTeam("nl-amstel", "prac-nl-jansen", "clinician", patient);
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + obs), jansen, null).statusCode())
                .as("the author's own care team reads it").isEqualTo(200);

        String mueller = AccessFixtures.token("dr.mueller");
        for (String path : new String[] {"Observation/" + obs, "Observation/" + obs + "/_history/1",
                "Observation/" + obs + "/_history", "Patient/" + patient}) {
            HttpResponse<String> r = AccessFixtures.send("GET", fx.fhir(path), mueller, null);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(404);
        }
        HttpResponse<String> search = AccessFixtures.send("GET", fx.fhir("Observation?patient=Patient/" + patient),
                mueller, null);
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).doesNotContain(obs);

        assertThat(AccessFixtures.auditOf("dr.mueller", obs))
                .containsExactly("read:4:null", "vread:4:null", "history-instance:4:null");
        assertThat(AccessFixtures.auditOf("dr.jansen", obs)).containsExactly("create:0:TREAT", "read:0:TREAT");
    }

    @Test
    void sameInstitutionOutsideTheCareTeamIsNotFoundAndAudited() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String person = AccessFixtures.newPerson();
        String patient = fx.patient(jansen, person);
        String obs = fx.observation(jansen, patient);
        String nurse = AccessFixtures.token("nurse.visser");
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + obs), nurse, null).statusCode())
                .isEqualTo(404);
        fx.careTeam("nl-amstel", "prac-nl-visser", "nurse", patient);
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + obs), nurse, null).statusCode())
                .isEqualTo(200);
        assertThat(AccessFixtures.auditOf("nurse.visser", obs)).containsExactly("read:4:null", "read:0:TREAT");
    }

    @Test
    void adminsAndResearchersReadNoClinicalContentAndTheRefusalIsAudited() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String person = AccessFixtures.newPerson();
        String obs = fx.observation(jansen, fx.patient(jansen, person));
        for (String user : new String[] {"admin.amstel", "researcher.lee", "platform.admin"}) {
            HttpResponse<String> r = AccessFixtures.send("GET", fx.fhir("Observation/" + obs),
                    AccessFixtures.token(user), null);
            assertThat(r.statusCode()).as(user).isEqualTo(404);
            assertThat(AccessFixtures.auditOf(user, obs)).as(user).containsExactly("read:4:null");
        }
        HttpResponse<String> write = AccessFixtures.send("POST", fx.fhir("Observation"),
                AccessFixtures.token("researcher.lee"), "{\"resourceType\":\"Observation\",\"status\":\"final\","
                        + "\"code\":{\"text\":\"x\"}}");
        assertThat(write.statusCode()).as(write.body()).isEqualTo(403);
        assertThat(write.body()).contains("EHR-0302");
    }

    @Test
    void onlyTheTenantAdminManagesCareTeams() throws Exception {
        HttpResponse<String> r = AccessFixtures.send("PUT", fx.api("care-teams/team-by-a-doctor"),
                AccessFixtures.token("dr.jansen"), "{\"name\":\"self-made\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("EHR-0626");
        HttpResponse<String> bad = AccessFixtures.send("POST", fx.api("care-teams/no-such-team/members"),
                AccessFixtures.token("admin.amstel"), "{\"practitioner\":\"prac-nl-jansen\",\"institution\":"
                        + "\"nl-amstel\",\"role\":\"surgeon\"}");
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("EHR-0622");
    }
}
