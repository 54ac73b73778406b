package health.meridian.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.CallerPrincipal;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

/**
 * Consulted before Payara's MP-JWT identity store (lower priority value): answers VALID only for a token string
 * that store already validated on an earlier request and that is still within its lifetime
 * ({@link ValidatedTokens}); for anything else it answers NOT_VALIDATED and the MP-JWT store does the full
 * validation as before. {@link BearerTokenFilter} remembers each token MP-JWT accepted.
 */
@ApplicationScoped
public class CachedTokenIdentityStore implements IdentityStore {

    /** Payara's credential type; read through its public {@code getSignedJWT()} (no compile-time dependency). */
    static final String SIGNED_JWT_CREDENTIAL = "fish.payara.microprofile.jwtauth.eesecurity.SignedJWTCredential";

    private final ValidatedTokens tokens = new ValidatedTokens(Clock.systemUTC());
    private volatile MethodHandle signedJwt;

    ValidatedTokens tokens() {
        return tokens;
    }

    @Override
    public CredentialValidationResult validate(Credential credential) {
        String raw = rawToken(credential);
        ValidatedTokens.Validated hit = raw == null ? null : tokens.lookup(raw);
        if (hit == null || !(hit.principal() instanceof CallerPrincipal principal)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        return new CredentialValidationResult(principal, hit.groups());
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Set<ValidationType> validationTypes() {
        return EnumSet.of(ValidationType.VALIDATE, ValidationType.PROVIDE_GROUPS);
    }

    private String rawToken(Credential credential) {
        if (credential == null || !SIGNED_JWT_CREDENTIAL.equals(credential.getClass().getName())) {
            return null;
        }
        try {
            MethodHandle h = signedJwt;
            if (h == null) {
                h = MethodHandles.publicLookup().findVirtual(credential.getClass(), "getSignedJWT",
                        MethodType.methodType(String.class));
                signedJwt = h;
            }
            return (String) h.invoke(credential);
        } catch (Throwable e) {
            return null;
        }
    }
}
