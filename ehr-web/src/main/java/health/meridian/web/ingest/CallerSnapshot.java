package health.meridian.web.ingest;

import health.meridian.domain.tenant.TenantId;
import health.meridian.web.security.Caller;
import health.meridian.web.security.SmartScopes;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The caller who started a bulk job, as their validated token stated it (subject, username, roles, institution,
 * practitioner, SMART scopes), kept with the job: the worker acts on their behalf through the same decisions as
 * their requests.
 */
public final class CallerSnapshot {

    private CallerSnapshot() {
    }

    public static String toJson(Caller c) {
        JsonArrayBuilder roles = Json.createArrayBuilder();
        c.roles().stream().sorted().forEach(roles::add);
        JsonObjectBuilder b = Json.createObjectBuilder().add("subject", c.subject()).add("roles", roles);
        if (c.username() != null) {
            b.add("username", c.username());
        }
        c.tenant().ifPresent(t -> b.add("tenant", t.value()));
        c.practitionerId().ifPresent(p -> b.add("practitioner", p));
        c.personId().ifPresent(p -> b.add("person", p));
        if (c.scopes().narrows()) {
            b.add("scope", c.scopes().claim());
        }
        c.app().ifPresent(a -> b.add("app", Json.createObjectBuilder().add("clientId", a.clientId())
                .add("name", a.name())));
        return b.build().toString();
    }

    public static Caller fromJson(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            JsonObject o = reader.readObject();
            Set<String> roles = o.getJsonArray("roles").getValuesAs(jakarta.json.JsonString.class).stream()
                    .map(jakarta.json.JsonString::getString).collect(Collectors.toUnmodifiableSet());
            return new Caller(o.getString("subject"), o.getString("username", null), roles,
                    text(o, "tenant").map(TenantId::of), text(o, "practitioner"), text(o, "person"),
                    null, SmartScopes.parse(o.getString("scope", null)), app(o.getJsonObject("app")));
        }
    }

    private static Optional<Caller.App> app(JsonObject app) {
        return app == null ? Optional.empty()
                : Optional.of(new Caller.App(app.getString("clientId"), app.getString("name")));
    }

    private static Optional<String> text(JsonObject o, String name) {
        return Optional.ofNullable(o.getString(name, null));
    }
}
