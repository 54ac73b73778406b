package health.meridian.web.identity;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.identity.NewUser;
import health.meridian.domain.identity.StaffRole;
import health.meridian.domain.identity.UserAccount;
import health.meridian.domain.identity.UserPage;
import health.meridian.domain.identity.UserDirectory;
import health.meridian.domain.tenant.InstitutionRepository;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * User administration (issue #8): administrators list, create, re-role, disable/enable and set temporary passwords
 * of their institution's accounts in the identity provider. {@link AccessPolicy} decides whose accounts and which
 * roles; every use case (and every refusal) is an audit event written through {@link AccessSeam#acting}. The audit row is written in this transaction before
 * the identity provider is called, so a failing call rolls the row back and a change never goes unrecorded.
 */
@ApplicationScoped
@Transactional
public class UserAdminService {

    static final int PAGE = 50;

    @Inject
    UserDirectory directory;
    @Inject
    InstitutionRepository institutions;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller currentCaller;
    @Inject
    AccessSeam seam;

    /** What a new account starts with: a temporary password, or no credential at all (nothing is sent). */
    public record Created(UserAccount account, boolean temporaryPassword) {
    }

    /** A page of the institution's accounts the caller may manage; {@code first} is 0 or the previous {@code next}. */
    public UserPage list(Optional<TenantId> named, String text, int first) {
        AccessSeam.Acting acting = institution(AuditAction.R, "user-list", named, null);
        TenantId institution = acting.tenant();
        if (first < 0) {
            throw new IllegalArgumentException("EHR-0916 first must be 0 or the next of the previous page: " + first);
        }
        available();
        acting.done(e -> e.about(institution.value(), null, null)
                .withQuery((text == null ? "" : text) + (first > 0 ? "&first=" + first : "")));
        UserPage page = directory.inInstitution(institution, text, first, PAGE);
        return new UserPage(page.users().stream().filter(a -> policy.mayManageUser(acting.caller(), a)).toList(),
                page.next());
    }

    public UserAccount find(String id) {
        Managed m = managed(AuditAction.R, id, "user-read", null);
        m.acting().done(e -> e.about(institutionOf(m.account()).value(), null, null));
        return m.account();
    }

    public Created create(String username, String firstName, String lastName, String email, String role,
                          Optional<TenantId> named, Optional<String> password) {
        AccessSeam.Acting acting = institution(AuditAction.C, "user-create", named, role);
        TenantId institution = acting.tenant();
        institutions.find(institution).orElseThrow(() ->
                new IllegalArgumentException("EHR-0905 unknown institution " + institution));
        NewUser user = new NewUser(username, firstName, lastName, email, role, institution);
        password.ifPresent(UserAdminService::requireUsablePassword);
        available();
        acting.done(e -> e.withResource(null, user.username()).about(institution.value(), null, null)
                .withDetail("user " + user.username() + " as " + role + (password.isPresent()
                        ? ", temporary password set" : ", no credential")));
        return new Created(directory.create(user, password), password.isPresent());
    }

    public UserAccount changeRole(String id, String role) {
        Managed m = managed(AuditAction.U, id, "user-role", role);
        UserAccount account = m.account();
        notSelf(account, "change the role of");
        m.acting().done(e -> e.about(institutionOf(account).value(), null, null)
                .withDetail("user " + account.username() + " " + account.staffRole().orElse("-") + " -> " + role));
        Optional<String> practitioner = StaffRole.isCareRole(role)
                ? Optional.of(NewUser.practitionerIdFor(institutionOf(account), account.username()))
                : Optional.empty();
        directory.changeRole(account.id(), role, practitioner);
        return directory.find(account.id()).orElseThrow();
    }

    public UserAccount setEnabled(String id, boolean enabled) {
        String interaction = enabled ? "user-enable" : "user-disable";
        Managed m = managed(AuditAction.U, id, interaction, null);
        UserAccount account = m.account();
        notSelf(account, enabled ? "enable" : "disable");
        m.acting().done(e -> e.about(institutionOf(account).value(), null, null)
                .withDetail("user " + account.username() + (enabled ? " enabled" : " disabled")));
        directory.setEnabled(account.id(), enabled);
        return directory.find(account.id()).orElseThrow();
    }

    public void setTemporaryPassword(String id, String password) {
        Managed m = managed(AuditAction.U, id, "user-password", null);
        UserAccount account = m.account();
        requireUsablePassword(password);
        m.acting().done(e -> e.about(institutionOf(account).value(), null, null)
                .withDetail("user " + account.username() + ": temporary password set"));
        directory.setTemporaryPassword(account.id(), password);
    }

    private static void requireUsablePassword(String password) {
        if (password == null || password.length() < 8 || password.length() > 128 || password.isBlank()) {
            throw new IllegalArgumentException("EHR-0911 a temporary password has 8 to 128 characters");
        }
    }

    /** An account the caller manages, and the use case acting on it. */
    private record Managed(UserAccount account, AccessSeam.Acting acting) {
    }

    /**
     * The account, if the policy lets the caller manage it (and give it {@code newRole}), through the seam; any
     * other is unknown (404), and the attempt audited.
     */
    private Managed managed(AuditAction action, String id, String interaction, String newRole) {
        AccessSeam.Acting acting = seam.acting(action, interaction, null, id, caller -> {
            if (newRole != null) {
                policy.requireGivableRole(caller, newRole);
            }
            policy.requireUserAdmin(caller);
            return AccessSeam.Bound.none();
        });
        available();
        Optional<UserAccount> account = directory.find(id).filter(a -> policy.mayManageUser(acting.caller(), a));
        if (account.isEmpty()) {
            throw acting.refused(new NoSuchElementException("EHR-0906 no user " + id), e -> e);
        }
        return new Managed(account.get(), acting);
    }

    /** The institution whose accounts the caller administers ({@link AccessPolicy#userAdminInstitution}). */
    private AccessSeam.Acting institution(AuditAction action, String interaction, Optional<TenantId> named,
                                          String role) {
        return seam.acting(action, interaction, null, null, caller -> {
            TenantId institution = policy.userAdminInstitution(caller, named);
            if (role != null) {
                policy.requireGivableRole(caller, role);
            }
            return AccessSeam.Bound.tenant(institution);
        });
    }

    private void notSelf(UserAccount account, String what) {
        if (account.id().equals(currentCaller.get().subject())) {
            throw new IllegalStateException("EHR-0912 administrators cannot " + what + " their own account");
        }
    }

    private void available() {
        if (!directory.configured()) {
            throw new UserDirectoryUnavailableException("EHR-0900 user administration is not configured"
                    + " (MERIDIAN_USER_ADMIN_SECRET)");
        }
    }

    private static TenantId institutionOf(UserAccount account) {
        return TenantId.of(account.institution().orElseThrow());
    }
}
