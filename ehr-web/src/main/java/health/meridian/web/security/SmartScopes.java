package health.meridian.web.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMART App Launch resource scopes of a token's {@code scope} claim (ADR 0025): {@code patient/}, {@code user/}
 * and {@code system/} scopes in the v2 form ({@code patient/Observation.rs}, {@code user/*.cruds}) and the v1 form
 * ({@code .read}, {@code .write}, {@code .*}). Pure; built once per request from the validated token.
 *
 * <p>A scope only ever narrows what the access policy allows. A token that carries no word of the SMART resource
 * form ({@code patient/...}, {@code user/...}, {@code system/...}) is not narrowed at all ({@link #narrows} false:
 * Meridian's own clients, the web app and {@code meridian-cli}, ask for no such scope). Once a token carries one such
 * word, it reaches only what its well-formed scopes name; a malformed one (an unknown interaction, a v2 scope with a
 * {@code ?} search restriction Meridian cannot enforce, a bad type name) names nothing, so it narrows and never
 * widens. Other words (openid, profile, launch, offline_access, fhirUser ...) are not resource scopes and are ignored.
 */
public final class SmartScopes {

    /** Whose records a scope is about: the launch patient, whatever the user may see, or a backend system's. */
    public enum Level { PATIENT, USER, SYSTEM }

    /** One well-formed resource scope: its level, resource type ("*" for all) and interactions (of "cruds"). */
    public record Scope(Level level, String type, String interactions) {
        boolean covers(Set<Level> levels, String resourceType, char interaction) {
            return levels.contains(level) && ("*".equals(type) || type.equals(resourceType))
                    && interactions.indexOf(interaction) >= 0;
        }
    }

    /** A token without SMART resource scopes: no narrowing. */
    public static final SmartScopes NONE = new SmartScopes(false, List.of(), List.of(), null);

    /**
     * Narrowed to nothing: what a backend service's token without any SMART resource scope reaches (ADR 0031 — it has
     * no user whose rules an absent scope would leave in force), and a third-party app's token without one.
     */
    public static final SmartScopes NOTHING = new SmartScopes(true, List.of(), List.of(), null);

    /**
     * Meridian's own clients — the chart and portal ({@code meridian-web}) and the command line ({@code meridian-cli},
     * {@code meridian-cli-short-lived}): they ask for no SMART scope, and their tokens are decided by the access rules
     * alone. Every other client is an app (the demo app, the SMART test client, every registered app) and reaches
     * only what its SMART scopes name.
     */
    public static final java.util.Set<String> OWN_CLIENTS = java.util.Set.of("meridian-web", "meridian-cli",
            "meridian-cli-short-lived");

    /**
     * These scopes as the token of {@code clientId} (its {@code azp}) holds them: an app's token without any SMART
     * resource scope (e.g. only {@code openid launch}) reaches nothing — deny by default, so an app never gets the
     * whole of its user's access by asking for no scope (ADR 0025 point 2, amended). Meridian's own clients' tokens
     * are unchanged.
     */
    public SmartScopes forClient(String clientId) {
        return narrows || clientId != null && OWN_CLIENTS.contains(clientId) ? this : NOTHING;
    }

    private static final Pattern SMART_FORM = Pattern.compile("(patient|user|system)/(.*)", Pattern.DOTALL);
    private static final Pattern BODY = Pattern.compile("(\\*|[A-Z][A-Za-z]{0,63})\\.([A-Za-z*]+)");
    private static final Pattern V2 = Pattern.compile("c?r?u?d?s?");

    private final boolean narrows;
    private final List<Scope> scopes;
    private final List<String> malformed;
    private final String launchPerson;

    private SmartScopes(boolean narrows, List<Scope> scopes, List<String> malformed, String launchPerson) {
        this.narrows = narrows;
        this.scopes = List.copyOf(scopes);
        this.malformed = List.copyOf(malformed);
        this.launchPerson = launchPerson;
    }

    /**
     * These scopes with the person of the token's verified SMART launch patient (ADR 0028: what a {@code patient/}
     * scope of a staff token reaches). Meaningless, and so left out, for a token that is not narrowed.
     */
    public SmartScopes withLaunchPerson(String person) {
        return narrows && person != null ? new SmartScopes(true, scopes, malformed, person) : this;
    }

    /** The person of the token's verified launch patient, if it has one (ADR 0028). */
    public java.util.Optional<String> launchPerson() {
        return java.util.Optional.ofNullable(launchPerson);
    }

    /** Parses a {@code scope} claim (space-separated words; null or blank: {@link #NONE}). */
    public static SmartScopes parse(String claim) {
        if (claim == null || claim.isBlank()) {
            return NONE;
        }
        boolean narrows = false;
        List<Scope> scopes = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        for (String word : claim.trim().split("\\s+")) {
            Matcher form = SMART_FORM.matcher(word);
            if (!form.matches()) {
                continue;
            }
            narrows = true;
            Level level = Level.valueOf(form.group(1).toUpperCase(java.util.Locale.ROOT));
            Matcher body = BODY.matcher(form.group(2));
            String interactions = body.matches() ? interactions(body.group(2)) : null;
            if (interactions == null) {
                malformed.add(word);
            } else {
                scopes.add(new Scope(level, body.group(1), interactions));
            }
        }
        return narrows ? new SmartScopes(true, scopes, malformed, null) : NONE;
    }

    /** v1 read/write/*, or a v2 non-empty "cruds" subset in that order without repeats; null when neither. */
    private static String interactions(String perm) {
        switch (perm) {
            case "read":
                return "rs";
            case "write":
                return "cud";
            case "*":
                return "cruds";
            default:
                return !perm.isEmpty() && V2.matcher(perm).matches() ? perm : null;
        }
    }

    /** Does the token carry any SMART resource scope (well-formed or not)? If not, it is not narrowed. */
    public boolean narrows() {
        return narrows;
    }

    /**
     * May interaction {@code interaction} (one of c, r, u, d, s) on {@code resourceType} go ahead under the scopes of
     * the given levels? Always true for a token that is not narrowed.
     */
    public boolean permits(Set<Level> levels, String resourceType, char interaction) {
        if (!narrows) {
            return true;
        }
        return resourceType != null && scopes.stream().anyMatch(s -> s.covers(levels, resourceType, interaction));
    }

    /** Is any scope of one of these levels present (well-formed)? */
    public boolean hasAny(Set<Level> levels) {
        return scopes.stream().anyMatch(s -> levels.contains(s.level()));
    }

    /**
     * A {@code scope} claim that {@link #parse} reads back to these scopes (a bulk job keeps its caller's scopes
     * with the job); empty for {@link #NONE}.
     */
    public String claim() {
        List<String> words = new ArrayList<>();
        scopes.forEach(s -> words.add(s.level().name().toLowerCase(java.util.Locale.ROOT) + "/" + s.type() + "."
                + s.interactions()));
        words.addAll(malformed);
        return String.join(" ", words);
    }

    public List<Scope> scopes() {
        return scopes;
    }

    /** The SMART-form words that name nothing (they narrow, never widen). */
    public List<String> malformed() {
        return malformed;
    }

    @Override
    public String toString() {
        return narrows ? "SmartScopes" + scopes + (malformed.isEmpty() ? "" : " malformed" + malformed)
                + (launchPerson == null ? "" : " launch person " + launchPerson) : "SmartScopes[none]";
    }
}
