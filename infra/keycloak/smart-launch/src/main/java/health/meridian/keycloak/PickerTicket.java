package health.meridian.keycloak;

import org.keycloak.TokenCategory;
import org.keycloak.representations.JsonWebToken;

/**
 * The short-lived, single-purpose ticket with which the SMART patient picker (ADR 0032) knows who is launching: a
 * JWT signed with the realm's access-token key (so Meridian can verify it with the realm's published keys), but with
 * {@code typ} {@value #TYPE} and the picker's Meridian base as its only audience — never {@code meridian-api}, so
 * Meridian refuses it as an access token everywhere, and accepts it only on the picker page.
 */
public class PickerTicket extends JsonWebToken {

    public static final String TYPE = "meridian-smart-picker";

    @Override
    public TokenCategory getCategory() {
        return TokenCategory.ACCESS; // signed with the realm's RS256 key, like an access token
    }
}
