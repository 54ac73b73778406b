package health.meridian.domain.identity;

import java.util.List;

/**
 * One page of a user listing. {@code next} is the opaque position to continue from (the identity provider's offset
 * into its own result list), or null when nothing is left.
 */
public record UserPage(List<UserAccount> users, Integer next) {

    public UserPage {
        users = List.copyOf(users);
    }
}
