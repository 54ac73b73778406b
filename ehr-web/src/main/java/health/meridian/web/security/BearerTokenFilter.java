package health.meridian.web.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Deny by default at the door: every request to the FHIR and JSON APIs must carry a bearer token that
 * MicroProfile JWT validated (signature against the realm's keys, issuer, audience, expiry, RS256 only).
 * Anything else gets 401 with a machine-readable body, before any application code runs. A token MP-JWT accepted
 * is remembered ({@link CachedTokenIdentityStore}) so that its later requests skip re-validating the same string.
 */
@WebFilter(urlPatterns = {"/fhir/*", "/api/*"})
public class BearerTokenFilter extends HttpFilter {

    @Inject
    CachedTokenIdentityStore validated;
    @Inject
    health.meridian.web.apps.RegisteredApps apps;

    /** The request attribute holding the registered app ({@code SmartApp}) a token was issued to, if any. */
    public static final String APP = "meridian.app";

    /**
     * {@code GET /fhir/metadata} and {@code GET /fhir/.well-known/smart-configuration} are public (FHIR and SMART
     * clients discover the server before they log in); no data in them.
     */
    private static boolean isCapabilityStatement(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return "GET".equals(request.getMethod()) && ((request.getContextPath() + "/fhir/metadata").equals(uri)
                || (request.getContextPath() + SMART_CONFIGURATION).equals(uri));
    }

    /** SMART discovery ({@code health.meridian.web.fhir.SmartConfiguration}): public too, no data in it. */
    public static final String SMART_CONFIGURATION = "/fhir/.well-known/smart-configuration";

    /**
     * The RFC 6750 challenge: without credentials only the scheme and realm (section 3.1: no error code when the
     * request carried no authentication); with a token that was refused (expired, wrong issuer or audience, bad
     * signature, not a JWT) {@code error="invalid_token"}. Why exactly is not said: it would help a forger.
     */
    static String challenge(String authorization) {
        String challenge = "Bearer realm=\"meridian\"";
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return challenge + ", error=\"invalid_token\", error_description=\"the access token is not valid\"";
        }
        if (authorization != null && !authorization.isBlank()) {
            return challenge + ", error=\"invalid_request\", error_description=\"use the Bearer scheme\"";
        }
        return challenge;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getUserPrincipal() instanceof JsonWebToken jwt) {
            validated.tokens().remember(jwt);
            health.meridian.web.apps.RegisteredApps.Verdict app = apps.check(text(jwt.getClaim("azp")),
                    text(jwt.getClaim("tenant")));
            if (!app.admitted()) {
                refused(request, response, app.refusal());
                return;
            }
            app.app().ifPresent(a -> request.setAttribute(APP, a));
            chain.doFilter(request, response);
            return;
        }
        if (isCapabilityStatement(request)) {
            chain.doFilter(request, response);
            return;
        }
        unauthorized(request, response, request.getRequestURI());
    }

    private static String text(Object claim) {
        return claim == null ? null : claim instanceof jakarta.json.JsonString s ? s.getString() : claim.toString();
    }

    /**
     * A token the realm validly signed for a client the app registry refuses (not registered, revoked, or a backend
     * service naming another institution: ADR 0031): 401 {@code invalid_token} with the reason's code.
     */
    static void refused(HttpServletRequest request, HttpServletResponse response, String why) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"meridian\", error=\"invalid_token\","
                + " error_description=\"the client of this token may not call Meridian\"");
        response.setHeader("Cache-Control", "no-store");
        boolean fhir = request.getRequestURI().startsWith(request.getContextPath() + "/fhir");
        response.setContentType(fhir ? "application/fhir+json" : "application/json");
        String message = why.replace("\\", "").replace("\"", "'");
        response.getWriter().write(fhir
                ? "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"login\","
                        + "\"diagnostics\":\"" + message + "\"}]}"
                : "{\"code\":\"EHR-1170\",\"message\":\"" + message + "\"}");
    }

    /**
     * The one 401 answer, from this filter or from the error page of a token MicroProfile JWT refused before any
     * filter ran ({@link UnauthorizedErrorPage}): the RFC 6750 challenge and an OperationOutcome (FHIR) or
     * {@code {code, message}} (JSON API), never cached.
     */
    static void unauthorized(HttpServletRequest request, HttpServletResponse response, String requestUri)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", challenge(request.getHeader("Authorization")));
        response.setHeader("Cache-Control", "no-store");
        boolean fhir = requestUri != null && requestUri.startsWith(request.getContextPath() + "/fhir");
        response.setContentType(fhir ? "application/fhir+json" : "application/json");
        String message = "EHR-0300 a valid bearer token is required";
        response.getWriter().write(fhir
                ? "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"login\","
                        + "\"diagnostics\":\"" + message + "\"}]}"
                : "{\"code\":\"EHR-0300\",\"message\":\"" + message + "\"}");
    }
}
