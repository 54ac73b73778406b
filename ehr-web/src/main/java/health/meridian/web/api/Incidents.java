package health.meridian.web.api;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An unexpected failure, told apart for the client and the log: its message may name SQL, tables or hosts, so the
 * log gets the exception under a new incident id and the client only the id (both APIs answer with this text).
 */
public final class Incidents {

    private static final Logger LOG = Logger.getLogger(Incidents.class.getName());

    private Incidents() {
    }

    /** Logs {@code failure} under a new incident id and returns the EHR-0500 message for the client. */
    public static String record(Throwable failure) {
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "EHR-0500 incident " + incident, failure);
        return "EHR-0500 the server failed unexpectedly; the details are in the server log under incident " + incident;
    }
}
