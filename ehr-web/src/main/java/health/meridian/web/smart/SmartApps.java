package health.meridian.web.smart;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The SMART apps the chart's Apps menu offers for an EHR launch (ADR 0028). For now from configuration
 * ({@code meridian.smart.apps}: entries {@code clientId|name|launchUrl} separated by {@code ;}, a relative launch URL
 * being Meridian's own); by default the demo app Meridian serves under {@code /apps/demo/} (its Keycloak client
 * {@code meridian-demo-app} exists in the local/demo realm). The app registry (issue #23, admin console) replaces this
 * one lookup.
 */
@ApplicationScoped
public class SmartApps {

    /** An app: its OAuth client id, the name shown, and the URL opened with {@code launch} and {@code iss}. */
    public record App(String clientId, String name, String launchUrl) {
    }

    static final String DEMO = "meridian-demo-app|Meridian demo app|/apps/demo/launch.html";

    @Inject
    @ConfigProperty(name = "meridian.smart.apps", defaultValue = DEMO)
    String configured;

    public List<App> list() {
        return parse(configured);
    }

    public Optional<App> find(String clientId) {
        return list().stream().filter(a -> a.clientId().equals(clientId)).findFirst();
    }

    static List<App> parse(String text) {
        List<App> apps = new ArrayList<>();
        if (text == null || text.isBlank() || "none".equals(text.trim())) {
            return apps;
        }
        for (String entry : text.split(";")) {
            String[] f = entry.trim().split("\\|");
            if (f.length != 3 || f[0].isBlank() || f[2].isBlank()) {
                throw new IllegalStateException("EHR-1155 meridian.smart.apps: not clientId|name|launchUrl: " + entry);
            }
            apps.add(new App(f[0].trim(), f[1].trim(), f[2].trim()));
        }
        return apps;
    }
}
