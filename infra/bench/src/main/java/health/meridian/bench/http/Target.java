package health.meridian.bench.http;

import health.meridian.bench.Args;
import health.meridian.bench.BenchException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The system under load: a FHIR base URL and the tenants to act in. Local Meridian (default): nl-amstel as dr.jansen
 * and de-spree as dr.mueller, tokens from the local Keycloak. Any other server: {@code --fhir-url} with
 * {@code --token T} or {@code --no-auth} (one anonymous "tenant").
 */
public record Target(String fhirUrl, boolean meridian, String appUrl, List<Tenant> tenants) {

    public static final String DEFAULT_TENANTS = "nl-amstel=dr.jansen,de-spree=dr.mueller";

    public static Target from(Args args) {
        HttpClient http = FhirClient.newHttp();
        String appUrl = Args.env("MERIDIAN_APP_URL", "http://127.0.0.1:8080");
        String fhirUrl = args.get("fhir-url", appUrl + "/fhir");
        boolean meridian = !args.has("no-auth") && args.get("token", null) == null;
        if (!meridian) {
            TokenSource tokens = args.has("no-auth") ? TokenSource.none() : TokenSource.fixed(args.get("token", ""));
            return new Target(fhirUrl, false, null, List.of(new Tenant("server", new FhirClient(http, fhirUrl, tokens))));
        }
        String kcUrl = args.get("keycloak-url", Args.env("MERIDIAN_KC_URL", "http://127.0.0.1:8180"));
        String password = args.get("password", "meridian");
        List<Tenant> tenants = new ArrayList<>();
        for (String pair : args.get("tenants", DEFAULT_TENANTS).split(",")) {
            String[] p = pair.split("=");
            if (p.length != 2) {
                throw new BenchException("BENCH-0120 --tenants wants tenant=user[,tenant=user], got '" + pair + "'");
            }
            tenants.add(new Tenant(p[0], new FhirClient(http, fhirUrl, new PasswordGrantTokens(kcUrl, p[1], password))));
        }
        return new Target(fhirUrl, true, fhirUrl.substring(0, fhirUrl.length() - "/fhir".length()), tenants);
    }
}
