package health.meridian.web.portal;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditEntry;
import health.meridian.domain.audit.AuditOutcome;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.tenant.Institution;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One access to a patient's record, in plain language: who (their name, else username; and role), for which institution and
 * country, when, what, why (purpose, and the reason given for a break-the-glass access), and whether it was refused.
 * {@code kind} is one of read, change, break-glass, share-code, export. {@code username} is the actor's sign-in
 * name (the "who" filter matches it as well as the name).
 */
public record AccessLogRow(long seq, String when, String who, String role, String institution,
                           String institutionName, String country, String countryName, String kind, String what,
                           String purpose, String reason, boolean refused, String username, String app) {

    private static final Map<String, String> PURPOSES = Map.of(
            "TREAT", "Treatment",
            "ETREAT", "Emergency treatment (break-the-glass)",
            "PATRQT", "At your request",
            "PATADMIN", "Managing your access",
            "HPAYMT", "Payment",
            "HRESCH", "Research",
            "HOPERAT", "Administration of the institution");
    private static final Set<String> ROLE_ORDER = Set.of("clinician", "nurse", "tenant-admin", "platform-admin",
            "researcher", "patient");

    /** {@code institutions} by id; {@code reason} is the break-the-glass reason in force, if any. */
    public static AccessLogRow of(AuditEntry entry, Map<String, Institution> institutions, String reason) {
        return of(entry, institutions, reason, null);
    }

    /** As above, {@code name} the actor's display name (issue #20: a person, not a username), if known. */
    public static AccessLogRow of(AuditEntry entry, Map<String, Institution> institutions, String reason,
                                  String name) {
        AuditRecord r = entry.record();
        String tenant = r.actor().tenant();
        Institution at = tenant == null ? null : institutions.get(tenant);
        String country = at == null ? null : at.country();
        String kind = kindOf(r);
        boolean refused = r.outcome() != AuditOutcome.SUCCESS;
        boolean backend = r.actor().roles().contains("backend-service") && r.actor().appName() != null;
        return new AccessLogRow(entry.seq(), entry.recordedAt().toString(),
                backend ? r.actor().appName() : name != null ? name
                        : r.actor().username() == null ? r.actor().subject() : r.actor().username(),
                r.actor().roles().stream().filter(ROLE_ORDER::contains).sorted().findFirst().orElse(""),
                tenant, at == null ? tenant : at.name(), country,
                country == null ? null : new Locale("", country).getDisplayCountry(Locale.ENGLISH), kind,
                (refused ? "Tried: " : "") + what(r) + (refused ? " (refused)" : ""),
                r.purpose() == null ? "" : PURPOSES.getOrDefault(r.purpose(), r.purpose()),
                "break-glass".equals(kind) ? reason : null, refused, r.actor().username(), r.actor().appName());
    }

    static String kindOf(AuditRecord r) {
        if (r.interaction().startsWith("break-glass") || "ETREAT".equals(r.purpose())) {
            return "break-glass";
        }
        if (r.interaction().startsWith("share-code")) {
            return "share-code";
        }
        if ("export".equals(r.interaction())) {
            return "export";
        }
        return r.action() == AuditAction.R ? "read" : "change";
    }

    static String what(AuditRecord r) {
        String type = r.resourceType() == null ? "record" : label(r.resourceType());
        String detail = r.detail() == null ? "" : r.detail();
        return switch (r.interaction()) {
            case "break-glass" -> "Opened emergency access (break-the-glass) to your record";
            case "share-code-redeem" -> "Used your share code to see your summary";
            case "share-code-create" -> "Created a share code";
            case "share-code-revoke" -> "Withdrew a share code";
            case "export" -> "Exported your complete record";
            case "operation" -> detail.startsWith("$summary") ? "Viewed your patient summary"
                    : detail.startsWith("$everything") ? "Viewed your complete record" : "Ran an operation on your record";
            case "read", "vread" -> "Viewed your " + type;
            case "history-instance" -> "Viewed the history of your " + type;
            case "search-type" -> "Searched your records";
            case "timeline" -> "Viewed your timeline";
            case "history-type" -> "Viewed the change history of records of type " + type;
            case "admin-names" -> "Saw your name in an administration screen (audit or emergency-access review)";
            case "create" -> "Added a " + type + " to your record";
            case "transaction" -> "Added entries to your record";
            case "update" -> "Updated your " + type;
            case "delete" -> "Deleted your " + type;
            default -> r.interaction().replace('-', ' ') + " (" + type + ")";
        };
    }

    /** FHIR type names in words: "AllergyIntolerance" becomes "allergy intolerance". */
    static String label(String type) {
        return switch (type) {
            case "Patient" -> "patient details";
            case "Observation" -> "observation (measurement or result)";
            case "Condition" -> "problem (condition)";
            case "Consent" -> "access grant";
            default -> type.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        };
    }
}
