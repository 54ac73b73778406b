package health.meridian.web.it.portal;

import health.meridian.web.it.TestStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** The share-code attempt log as the tests see it: read and reset as the database owner, never through the app. */
public final class ShareCodeAttempts {

    private ShareCodeAttempts() {
    }

    /** Unredeemed attempts of the subject in the last 15 minutes (as the owner, bound to the subject as RLS asks). */
    public static long failuresOnRecord(String subject) throws Exception {
        try (Connection c = TestStack.ownerConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.subject', ?, true)");
                 PreparedStatement s = c.prepareStatement("SELECT count(*) FROM share_code_failure WHERE subject = ?"
                         + " AND failed_at > now() - interval '15 minutes' AND redeemed_at IS NULL")) {
                bind.setString(1, subject);
                bind.execute();
                s.setString(1, subject);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                } finally {
                    c.rollback();
                }
            }
        }
    }

    /** Moves the subject's and the loopback address's recent attempts out of the rate-limit window (as the owner). */
    public static void forgetAttempts(String subject) throws Exception {
        try (Connection c = TestStack.ownerConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("ALTER TABLE share_code_failure NO FORCE ROW LEVEL SECURITY");
            try (PreparedStatement s = c.prepareStatement("UPDATE share_code_failure SET failed_at = failed_at"
                    + " - interval '1 hour' WHERE (subject = ? OR client_ip IN ('127.0.0.1', '0:0:0:0:0:0:0:1'))"
                    + " AND failed_at > now() - interval '15 minutes'")) {
                s.setString(1, subject);
                s.executeUpdate();
            }
            c.createStatement().execute("ALTER TABLE share_code_failure FORCE ROW LEVEL SECURITY");
            c.commit();
        }
    }
}
