package health.meridian.bench.http;

import health.meridian.bench.Args;
import health.meridian.bench.BenchException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The system under load: a FHIR base URL and the tenants to act in. Local Meridian (default): nl-amstel as dr.jansen
 * and de-spree as dr.mueller, tokens from the local Keycloak, plus Meridian's JSON API per tenant (the same
 * clinicians; cohort counts as the tenant admins of {@code --admins}). Any other server: {@code --fhir-url} with
 * {@code --token T} or {@code --no-auth} (one anonymous "tenant", no JSON API).
 */
public record Target(String fhirUrl, boolean meridian, String appUrl, List<Tenant> tenants, List<TenantApi> apis,
                     TokenSource operator) {

    public static final String DEFAULT_TENANTS = "nl-amstel=dr.jansen,de-spree=dr.mueller";
    public static final String DEFAULT_ADMINS = "nl-amstel=admin.amstel,de-spree=admin.spree";
    /** Reads Meridian's operator figures (outbox depth) from /api/admin/health: a platform admin. */
    public static final String DEFAULT_OPERATOR = "platform.admin";

    public static Target from(Args args) {
        HttpClient http = FhirClient.newHttp();
        String appUrl = Args.env("MERIDIAN_APP_URL", "http://127.0.0.1:8080");
        String fhirUrl = args.get("fhir-url", appUrl + "/fhir");
        boolean meridian = !args.has("no-auth") && args.get("token", null) == null;
        if (!meridian) {
            TokenSource tokens = args.has("no-auth") ? TokenSource.none() : TokenSource.fixed(args.get("token", ""));
            return new Target(fhirUrl, false, null, List.of(new Tenant("server", new FhirClient(http, fhirUrl, tokens))),
                    List.of(), TokenSource.none());
        }
        String kcUrl = args.get("keycloak-url", Args.env("MERIDIAN_KC_URL", "http://127.0.0.1:8180"));
        String password = args.get("password", "meridian");
        String app = fhirUrl.substring(0, fhirUrl.length() - "/fhir".length());
        Map<String, String> admins = pairs(args.get("admins", DEFAULT_ADMINS), "--admins");
        List<Tenant> tenants = new ArrayList<>();
        List<TenantApi> apis = new ArrayList<>();
        for (Map.Entry<String, String> t : pairs(args.get("tenants", DEFAULT_TENANTS), "--tenants").entrySet()) {
            TokenSource clinician = new PasswordGrantTokens(kcUrl, t.getValue(), password);
            tenants.add(new Tenant(t.getKey(), new FhirClient(http, fhirUrl, clinician)));
            Optional<ApiClient> admin = Optional.ofNullable(admins.get(t.getKey()))
                    .map(user -> new ApiClient(http, app, new PasswordGrantTokens(kcUrl, user, password), user));
            apis.add(new TenantApi(t.getKey(), new ApiClient(http, app, clinician, t.getValue()), admin));
        }
        TokenSource operator = new PasswordGrantTokens(kcUrl, args.get("operator", DEFAULT_OPERATOR), password);
        return new Target(fhirUrl, true, app, tenants, apis, operator);
    }

    /** {@code tenant=user[,tenant=user]} in the given order. */
    static Map<String, String> pairs(String option, String name) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : option.split(",")) {
            String[] p = pair.split("=");
            if (p.length != 2 || p[0].isBlank() || p[1].isBlank()) {
                throw new BenchException("BENCH-0120 " + name + " wants tenant=user[,tenant=user], got '" + pair + "'");
            }
            out.put(p[0].trim(), p[1].trim());
        }
        return out;
    }
}
