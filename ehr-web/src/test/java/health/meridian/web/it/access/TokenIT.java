package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.util.Base64;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tokens the realm really signed but that are not access tokens for this API are refused: an ID token (audience
 * meridian-cli, not meridian-api), an access token whose header was switched to HS256 (key confusion), and a genuine
 * access token after its {@code exp} (the realm's meridian-cli-short-lived client issues 5-second tokens; the app
 * allows no clock skew: mp.jwt.verify.clock.skew is not set).
 */
@ExtendWith(ArquillianExtension.class)
class TokenIT {

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    @Test
    void wrongAudienceAndAlgorithmConfusionAreRefused() throws Exception {
        AccessFixtures fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        String idToken = AccessFixtures.tokenField("dr.jansen", "id_token", "&scope=openid");
        String idClaims = claims(idToken);
        assertThat(idClaims).as("signed by the realm, in its lifetime, for another audience")
                .contains("\"aud\":\"meridian-cli\"").doesNotContain("meridian-api");
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), idToken, null).statusCode())
                .as("ID token: wrong audience").isEqualTo(401);
        String[] parts = AccessFixtures.token("dr.jansen").split("\\.");
        String hs = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes()) + "." + parts[1] + "." + parts[2];
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), hs, null).statusCode())
                .as("HS256 header").isEqualTo(401);
        assertThat(AccessFixtures.send("GET", fx.api("grants"), idToken, null).statusCode()).isEqualTo(401);
    }

    @Test
    void unsignedAndTamperedTokensAreRefused() throws Exception {
        AccessFixtures fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        String token = AccessFixtures.token("dr.jansen");
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), token, null).statusCode())
                .as("the genuine token works").isEqualTo(200);
        String[] parts = token.split("\\.");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String none = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "." + parts[1] + ".";
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), none, null).statusCode())
                .as("alg:none").isEqualTo(401);
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(payload).contains("\"tenant\":\"nl-amstel\"");
        String forged = parts[0] + "." + b64.encodeToString(payload.replace("\"tenant\":\"nl-amstel\"",
                "\"tenant\":\"de-spree\"").getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), forged, null).statusCode())
                .as("payload changed after signing (another tenant)").isEqualTo(401);
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), parts[0] + "." + parts[1] + ".AAAA", null)
                .statusCode()).as("bad signature").isEqualTo(401);
    }

    @Test
    void aGenuineAccessTokenIsRefusedOnceItExpired() throws Exception {
        AccessFixtures fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        String token = shortLivedToken("dr.jansen");
        String payload = claims(token);
        java.util.regex.Matcher exp = java.util.regex.Pattern.compile("\"exp\":(\\d+)").matcher(payload);
        assertThat(exp.find()).as(payload).isTrue();
        long expires = Long.parseLong(exp.group(1));
        assertThat(payload).contains("\"aud\":\"meridian-api\"").contains("\"tenant\":\"nl-amstel\"");
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), token, null).statusCode())
                .as("before exp the same token works").isEqualTo(200);

        long waitMillis = (expires + 1) * 1000 - System.currentTimeMillis();
        Thread.sleep(Math.max(0, waitMillis));
        java.net.http.HttpResponse<String> fhir = AccessFixtures.send("GET", fx.fhir("Patient?name=x"), token, null);
        assertThat(fhir.statusCode()).as("after exp: " + fhir.body()).isEqualTo(401);
        assertThat(AccessFixtures.send("GET", fx.api("grants"), token, null).statusCode()).isEqualTo(401);
    }

    /**
     * SMART scopes (ADR 0025) from the real realm narrow what the policy allows, never widen it: Anna's
     * patient/Observation.rs token reads her Observations but no Condition (read 404, search empty, not in
     * $everything) and none of the JSON API's use cases; her token without SMART scopes reads the Condition as
     * before; dr.jansen's user/Observation.rs token reads the Observation but not the Condition he reads without
     * scopes, and may not write (403 EHR-1120); his patient/*.rs token (no launch patient) reaches nothing.
     */
    @Test
    void smartScopesNarrowWhatThePolicyAllows() throws Exception {
        AccessFixtures fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        fx.ensureTenants();
        String jansen = AccessFixtures.token("dr.jansen");
        String patient = fx.patient(jansen, "person-anna");
        fx.careTeam("nl-amstel", "prac-nl-jansen", "clinician", patient);
        String observation = fx.observation(jansen, patient);
        java.net.http.HttpResponse<String> c = AccessFixtures.send("POST", fx.fhir("Condition"), jansen,
                "{\"resourceType\":\"Condition\",\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\","
                        + "\"code\":\"38341003\"}]},\"subject\":{\"reference\":\"Patient/" + patient + "\"}}");
        assertThat(c.statusCode()).as(c.body()).isEqualTo(201);
        String condition = AccessFixtures.idOf(c.body());

        String anna = AccessFixtures.token("patient.anna");
        String annaObs = AccessFixtures.smartToken("patient.anna", "openid patient/Observation.rs");
        assertThat(claims(annaObs)).as("Keycloak granted the scope").contains("patient/Observation.rs")
                .doesNotContain("patient/*.rs");
        assertThat(claims(anna)).as("the CLI client asks for no SMART scope").doesNotContain("patient/");

        assertThat(status("GET", fx.fhir("Condition/" + condition), anna)).as("no SMART scopes: as before")
                .isEqualTo(200);
        assertThat(status("GET", fx.fhir("Observation/" + observation), annaObs)).isEqualTo(200);
        java.net.http.HttpResponse<String> read = AccessFixtures.send("GET", fx.fhir("Condition/" + condition),
                annaObs, null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(404);
        String unknown = AccessFixtures.send("GET", fx.fhir("Condition/no-such-" + condition), annaObs, null).body();
        assertThat(read.body().replace(condition, "x")).as("answered like a record that does not exist")
                .isEqualTo(unknown.replace("no-such-" + condition, "x"));

        awaitFound(fx, "Condition?patient=" + patient, anna, condition);
        awaitFound(fx, "Observation?patient=" + patient, anna, observation);
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation?patient=" + patient), annaObs, null).body())
                .contains(observation);
        java.net.http.HttpResponse<String> search = AccessFixtures.send("GET", fx.fhir("Condition?patient="
                + patient), annaObs, null);
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).doesNotContain(condition);
        com.fasterxml.jackson.databind.JsonNode bundle = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(search.body());
        assertThat(bundle.path("total").asInt(-1)).as(search.body()).isZero();
        assertThat(bundle.path("entry").size()).isZero();
        java.net.http.HttpResponse<String> everything = AccessFixtures.send("GET", fx.fhir("Patient/" + patient
                + "/$everything"), annaObs, null);
        assertThat(everything.body()).as("$everything").doesNotContain("Condition/" + condition);
        java.net.http.HttpResponse<String> grants = AccessFixtures.send("GET", fx.api("grants"), annaObs, null);
        assertThat(grants.statusCode()).as(grants.body()).isEqualTo(403);
        assertThat(grants.body()).contains("EHR-1122");
        assertThat(status("GET", fx.api("grants"), anna)).isEqualTo(200);

        String jansenObs = AccessFixtures.smartToken("dr.jansen", "user/Observation.rs");
        assertThat(status("GET", fx.fhir("Condition/" + condition), jansen)).isEqualTo(200);
        assertThat(status("GET", fx.fhir("Condition/" + condition), jansenObs)).isEqualTo(404);
        assertThat(status("GET", fx.fhir("Observation/" + observation), jansenObs)).isEqualTo(200);
        java.net.http.HttpResponse<String> write = AccessFixtures.send("POST", fx.fhir("Observation"), jansenObs,
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                        + "\"http://loinc.org\",\"code\":\"8867-4\"}]},\"subject\":{\"reference\":\"Patient/"
                        + patient + "\"}}");
        assertThat(write.statusCode()).as(write.body()).isEqualTo(403);
        assertThat(write.body()).contains("EHR-1120");
        String history = AccessFixtures.send("GET", fx.fhir("Condition/_history"), jansenObs, null).body();
        assertThat(history).as("type history").doesNotContain(condition).contains("\"total\"");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(history).path("total").asInt(-1))
                .isZero();
        assertThat(AccessFixtures.send("GET", fx.fhir("_history?_count=1000"), jansenObs, null).body())
                .as("system history needs a * scope").doesNotContain(observation);
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/_history?_count=1000"), jansenObs, null).body())
                .as("covered type history").contains(observation);
        String jansenAll = AccessFixtures.smartToken("dr.jansen", "user/*.cruds");
        assertThat(status("GET", fx.fhir("Condition/" + condition), jansenAll)).as("user/*.cruds").isEqualTo(200);
        String jansenPatient = AccessFixtures.smartToken("dr.jansen", "patient/*.rs");
        assertThat(status("GET", fx.fhir("Observation/" + observation), jansenPatient))
                .as("patient/ scopes without a launch patient").isEqualTo(404);
        String jansenNoScope = AccessFixtures.smartToken("dr.jansen", "openid fhirUser");
        assertThat(status("GET", fx.fhir("Observation/" + observation), jansenNoScope))
                .as("an app's token that asked for no SMART resource scope reaches nothing").isEqualTo(404);
        java.net.http.HttpResponse<String> api = AccessFixtures.send("GET", fx.api("care-teams"), jansenNoScope,
                null);
        assertThat(api.statusCode()).as("nor the JSON API: " + api.body()).isEqualTo(403);
        assertThat(api.body()).contains("EHR-1122");
        assertThat(status("GET", fx.fhir("Observation/" + observation), jansen))
                .as("Meridian's own client, no scope: the rules alone").isEqualTo(200);
    }

    /** The SMART discovery document: public, the realm's endpoints, PKCE S256, the EHR launch (ADR 0028). */
    @Test
    void smartConfigurationNamesTheRealmsEndpoints() throws Exception {
        AccessFixtures fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        java.net.http.HttpResponse<String> r = AccessFixtures.send("GET", fx.fhir(".well-known/smart-configuration"),
                null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r.body());
        String issuer = health.meridian.web.it.TestStack.issuer();
        assertThat(doc.path("issuer").asText()).isEqualTo(issuer);
        assertThat(doc.path("token_endpoint").asText()).isEqualTo(issuer + "/protocol/openid-connect/token");
        assertThat(doc.path("authorization_endpoint").asText()).isEqualTo(issuer + "/protocol/openid-connect/auth");
        assertThat(doc.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(doc.path("grant_types_supported").toString()).contains("authorization_code");
        assertThat(doc.path("scopes_supported").toString()).contains("patient/Observation.rs", "user/*.cruds");
        assertThat(doc.path("capabilities").toString()).contains("permission-v2", "launch-standalone",
                "launch-ehr", "context-ehr-patient", "context-ehr-encounter", "context-standalone-patient")
                .doesNotContain("context-standalone-encounter");
        assertThat(doc.path("scopes_supported").toString()).contains("\"launch\"", "\"launch/patient\"",
                "fhirUser");
        java.net.http.HttpResponse<String> discovered = AccessFixtures.HTTP.send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(issuer + "/.well-known/openid-configuration")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        com.fasterxml.jackson.databind.JsonNode oidc = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(discovered.body());
        assertThat(doc.path("token_endpoint").asText()).as("Keycloak's own").isEqualTo(oidc.path("token_endpoint")
                .asText());
        assertThat(doc.path("authorization_endpoint").asText()).isEqualTo(oidc.path("authorization_endpoint")
                .asText());
        String metadata = AccessFixtures.send("GET", fx.fhir("metadata"), null, null).body();
        assertThat(metadata).contains("SMART-on-FHIR").contains("oauth-uris");
    }

    /**
     * SMART EHR launch (ADR 0028): the chart's launch for one patient, relayed by Meridian's Keycloak provider into
     * the token (response {@code patient}, access token {@code smart_launch}): the token's patient/ scopes reach that
     * patient only — not another patient of the same care team, by read, search or $everything. A forged, unknown,
     * another app's or another user's launch gives no context (nothing). fhirUser names the practitioner.
     */
    @Test
    void anEhrLaunchConfinesPatientScopesToTheLaunchPatient() throws Exception {
        AccessFixtures fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        fx.ensureTenants();
        String jansen = AccessFixtures.token("dr.jansen");
        String launched = fx.patient(jansen, AccessFixtures.newPerson());
        String other = fx.patient(jansen, AccessFixtures.newPerson());
        String notInCare = fx.patient(AccessFixtures.token("dr.mueller"), AccessFixtures.newPerson());
        fx.careTeam("nl-amstel", "prac-nl-jansen", "clinician", launched);
        fx.careTeam("nl-amstel", "prac-nl-jansen", "clinician", other);
        String mine = fx.observation(jansen, launched);
        String theirs = fx.observation(jansen, other);

        java.net.http.HttpResponse<String> apps = AccessFixtures.send("GET", fx.api("smart/apps"), jansen, null);
        assertThat(apps.statusCode()).as(apps.body()).isEqualTo(200);
        assertThat(apps.body()).contains("meridian-demo-app", "meridian-cli-smart");
        String launch = launch(fx, jansen, "meridian-cli-smart", launched);
        java.net.http.HttpResponse<String> made = AccessFixtures.send("POST", fx.api("smart/launches"), jansen,
                "{\"app\":\"meridian-demo-app\",\"patient\":\"" + launched + "\"}");
        assertThat(made.body()).contains("/apps/demo/launch.html?launch=").contains("&iss=http");
        assertThat(AccessFixtures.auditOf("dr.jansen", launched)).contains("smart-launch:0:TREAT");

        String response = smartTokenResponse("dr.jansen", "launch patient/*.rs", launch);
        assertThat(response).as("the token response's launch context").contains("\"patient\":\"" + launched + "\"");
        String token = field(response, "access_token");
        assertThat(claims(token)).contains("\"smart_launch\"", "\"patient\":\"" + launched + "\"");
        assertThat(status("GET", fx.fhir("Observation/" + mine), token)).isEqualTo(200);
        assertThat(status("GET", fx.fhir("Patient/" + launched), token)).isEqualTo(200);
        assertThat(status("GET", fx.fhir("Observation/" + theirs), token)).as("another patient in the same care team")
                .isEqualTo(404);
        assertThat(status("GET", fx.fhir("Observation/" + theirs), jansen)).as("the clinician's own token").isEqualTo(200);
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient/" + other + "/$everything"), token, null).body())
                .doesNotContain(theirs);
        awaitFound(fx, "Observation?patient=" + other, jansen, theirs);
        awaitFound(fx, "Observation?_count=200", token, mine);
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation?_count=200"), token, null).body())
                .as("a search across patients").doesNotContain(theirs);
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation?patient=" + other), token, null).body())
                .doesNotContain(theirs);
        String refused = AccessFixtures.send("POST", fx.api("smart/launches"), token,
                "{\"app\":\"meridian-cli-smart\",\"patient\":\"" + other + "\"}").body();
        assertThat(refused).as("an app's token launches no app").contains("EHR-1122");

        // a launch value altered to name another patient: the signature fails, no context at all
        String body = launch.substring(0, launch.indexOf('.'));
        String payload = new String(Base64.getUrlDecoder().decode(body), java.nio.charset.StandardCharsets.UTF_8)
                .replace(launched, other);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + launch.substring(launch.indexOf('.'));
        String forgedResponse = smartTokenResponse("dr.jansen", "launch patient/*.rs", forged);
        assertThat(forgedResponse).as("Keycloak only relays").contains("\"patient\":\"" + other + "\"");
        String forgedToken = field(forgedResponse, "access_token");
        assertThat(status("GET", fx.fhir("Observation/" + theirs), forgedToken)).isEqualTo(404);
        assertThat(status("GET", fx.fhir("Observation/" + mine), forgedToken)).isEqualTo(404);
        String unknown = field(smartTokenResponse("dr.jansen", "launch patient/*.rs", "no-such-launch"),
                "access_token");
        assertThat(claims(unknown)).doesNotContain("smart_launch");
        assertThat(status("GET", fx.fhir("Observation/" + mine), unknown)).isEqualTo(404);
        String otherApp = launch(fx, jansen, "meridian-demo-app", launched);
        assertThat(status("GET", fx.fhir("Observation/" + mine), field(smartTokenResponse("dr.jansen",
                "launch patient/*.rs", otherApp), "access_token"))).as("made for another app").isEqualTo(404);
        assertThat(status("GET", fx.fhir("Observation/" + mine), field(smartTokenResponse("nurse.visser",
                "launch patient/*.rs", launch), "access_token"))).as("made for another user").isEqualTo(404);

        java.net.http.HttpResponse<String> notReadable = AccessFixtures.send("POST", fx.api("smart/launches"), jansen,
                "{\"app\":\"meridian-cli-smart\",\"patient\":\"" + notInCare + "\"}");
        assertThat(notReadable.statusCode()).as("another institution's patient: " + notReadable.body())
                .isEqualTo(404);
        java.net.http.HttpResponse<String> noApp = AccessFixtures.send("POST", fx.api("smart/launches"), jansen,
                "{\"app\":\"no-such-app\",\"patient\":\"" + launched + "\"}");
        assertThat(noApp.statusCode()).isEqualTo(400);
        assertThat(noApp.body()).contains("EHR-1153");
        java.net.http.HttpResponse<String> byPatient = AccessFixtures.send("GET", fx.api("smart/apps"),
                AccessFixtures.token("patient.anna"), null);
        assertThat(byPatient.statusCode()).isEqualTo(403);
        assertThat(byPatient.body()).contains("EHR-1152");

        assertThat(claims(AccessFixtures.smartToken("dr.jansen", "openid fhirUser")))
                .contains("\"fhirUser\":\"Practitioner/prac-nl-jansen\"");
    }

    /**
     * ADR 0032: launched from an encounter, the launch carries that encounter; the token response and the access
     * token name it. An encounter of another patient, an unknown one or a malformed id: no launch at all.
     */
    @Test
    void anEhrLaunchFromAnEncounterCarriesTheEncounter() throws Exception {
        AccessFixtures fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        fx.ensureTenants();
        String jansen = AccessFixtures.token("dr.jansen");
        String launched = fx.patient(jansen, AccessFixtures.newPerson());
        String other = fx.patient(jansen, AccessFixtures.newPerson());
        fx.careTeam("nl-amstel", "prac-nl-jansen", "clinician", launched);
        fx.careTeam("nl-amstel", "prac-nl-jansen", "clinician", other);
        String visit = fx.encounter(jansen, launched);
        String othersVisit = fx.encounter(jansen, other);
        String mine = fx.observation(jansen, launched);

        java.net.http.HttpResponse<String> made = AccessFixtures.send("POST", fx.api("smart/launches"), jansen,
                "{\"app\":\"meridian-cli-smart\",\"patient\":\"" + launched + "\",\"encounter\":\"" + visit
                        + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        String response = smartTokenResponse("dr.jansen", "launch patient/*.rs", field(made.body(), "launch"));
        assertThat(response).contains("\"patient\":\"" + launched + "\"", "\"encounter\":\"" + visit + "\"");
        String token = field(response, "access_token");
        assertThat(claims(token)).contains("\"encounter\":\"" + visit + "\"");
        assertThat(status("GET", fx.fhir("Encounter/" + visit), token)).isEqualTo(200);
        assertThat(status("GET", fx.fhir("Observation/" + mine), token)).as("the launch patient's context holds")
                .isEqualTo(200);
        assertThat(status("GET", fx.fhir("Encounter/" + othersVisit), token)).isEqualTo(404);

        java.net.http.HttpResponse<String> notHers = AccessFixtures.send("POST", fx.api("smart/launches"), jansen,
                "{\"app\":\"meridian-cli-smart\",\"patient\":\"" + launched + "\",\"encounter\":\""
                        + othersVisit + "\"}");
        assertThat(notHers.statusCode()).as(notHers.body()).isEqualTo(400);
        assertThat(notHers.body()).contains("EHR-1163");
        java.net.http.HttpResponse<String> unknown = AccessFixtures.send("POST", fx.api("smart/launches"), jansen,
                "{\"app\":\"meridian-cli-smart\",\"patient\":\"" + launched + "\",\"encounter\":\"nope-"
                        + launched + "\"}");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.body()).contains("EHR-1162");
        java.net.http.HttpResponse<String> malformed = AccessFixtures.send("POST", fx.api("smart/launches"), jansen,
                "{\"app\":\"meridian-cli-smart\",\"patient\":\"" + launched + "\",\"encounter\":\"a b\"}");
        assertThat(malformed.body()).contains("EHR-1161");
        String withoutEncounter = smartTokenResponse("dr.jansen", "launch patient/*.rs",
                launch(fx, jansen, "meridian-cli-smart", launched));
        assertThat(withoutEncounter).doesNotContain("\"encounter\"");
    }

    private static String launch(AccessFixtures fx, String token, String app, String patient) throws Exception {
        java.net.http.HttpResponse<String> r = AccessFixtures.send("POST", fx.api("smart/launches"), token,
                "{\"app\":\"" + app + "\",\"patient\":\"" + patient + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return field(r.body(), "launch");
    }

    /** The token response of the SMART test app's password grant with {@code launch} (ADR 0028). */
    private static String smartTokenResponse(String username, String scope, String launch) throws Exception {
        String form = "grant_type=password&client_id=meridian-cli-smart&username=" + AccessFixtures.enc(username)
                + "&password=meridian&scope=" + AccessFixtures.enc(scope) + "&launch=" + AccessFixtures.enc(launch);
        java.net.http.HttpResponse<String> r = health.meridian.web.it.TestStack.passwordGrant(form);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    private static int status(String method, String url, String token) throws Exception {
        return AccessFixtures.send(method, url, token, null).statusCode();
    }

    /** Waits (up to 15 s) until a search by {@code token} finds {@code id}: the mirror is refreshed every second. */
    private static void awaitFound(AccessFixtures fx, String query, String token, String id) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!AccessFixtures.send("GET", fx.fhir(query), token, null).body().contains(id)) {
            assertThat(System.currentTimeMillis()).as(query + " never found " + id).isLessThan(deadline);
            Thread.sleep(300);
        }
    }

    /** An access token of the realm's short-lived test client (5 s lifespan, otherwise like meridian-cli). */
    private static String shortLivedToken(String username) throws Exception {
        String form = "grant_type=password&client_id=meridian-cli-short-lived&username=" + AccessFixtures.enc(username)
                + "&password=meridian";
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        System.getProperty("meridian.test.oidc.issuer") + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build();
        String body = AccessFixtures.HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(body);
        assertThat(m.find()).as(body).isTrue();
        assertThat(body).contains("\"expires_in\":5");
        return m.group(1);
    }

    private static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
    }
}
