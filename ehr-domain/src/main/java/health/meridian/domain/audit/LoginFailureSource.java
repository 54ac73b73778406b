package health.meridian.domain.audit;

import java.time.Instant;
import java.util.List;

/** The identity provider's record of failed logins (a port: the Keycloak admin events API sits behind it). */
public interface LoginFailureSource {

    /** Is the source configured (credentials present)? Without it nothing is imported. */
    boolean configured();

    /** Failed logins at or after {@code from} (null: all the provider still holds), oldest first, at most {@code max}. */
    List<LoginFailure> since(Instant from, int first, int max);
}
