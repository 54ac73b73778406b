package health.meridian.domain.apps;

/**
 * The identity provider's OAuth clients of registered apps (a port: Keycloak's admin API sits behind it). It does
 * what it is told; who may ask is decided before it is called.
 */
public interface AppClients {

    /** Are credentials for the identity provider's admin API configured? */
    boolean configured();

    /**
     * Creates the app's client: its kind's authentication (none, a secret, or signed JWTs checked against its JWKS with
     * the client credentials grant), redirect URIs, the scopes it may ask for, and the claims every token of it carries
     * (audience, and for a backend service its institution). Returns a confidential client's secret (shown once),
     * else null.
     */
    String create(SmartApp app);

    /** Disables the app's client: it gets no new token (the registry refuses the ones it has). */
    void disable(String clientId);
}
