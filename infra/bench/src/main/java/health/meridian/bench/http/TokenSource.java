package health.meridian.bench.http;

import java.util.Optional;

/** Supplies the bearer token for the next request (empty: send none). */
public interface TokenSource {

    Optional<String> token();

    static TokenSource none() {
        return Optional::empty;
    }

    static TokenSource fixed(String token) {
        return () -> Optional.of(token);
    }
}
