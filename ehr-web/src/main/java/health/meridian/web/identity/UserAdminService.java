package health.meridian.web.identity;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.identity.NewUser;
import health.meridian.domain.identity.StaffRole;
import health.meridian.domain.identity.UserAccount;
import health.meridian.domain.identity.UserPage;
import health.meridian.domain.identity.UserDirectory;
import health.meridian.domain.tenant.InstitutionRepository;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.security.AccessDeniedException;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AuditRecorder;
import health.meridian.web.security.Caller;
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
 * roles; every change (and every refusal) is an audit event. The audit row is written in this transaction before
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
    AuditRecorder audit;

    /** What a new account starts with: a temporary password, or no credential at all (nothing is sent). */
    public record Created(UserAccount account, boolean temporaryPassword) {
    }

    /** A page of the institution's accounts the caller may manage; {@code first} is 0 or the previous {@code next}. */
    public UserPage list(Optional<TenantId> named, String text, int first) {
        TenantId institution = institution(named, "user-list");
        if (first < 0) {
            throw new IllegalArgumentException("EHR-0916 first must be 0 or the next of the previous page: " + first);
        }
        available();
        audit.accessed(event(AuditAction.R, "user-list", null, institution)
                .withQuery((text == null ? "" : text) + (first > 0 ? "&first=" + first : "")));
        UserPage page = directory.inInstitution(institution, text, first, PAGE);
        return new UserPage(page.users().stream().filter(a -> policy.mayManageUser(currentCaller.get(), a)).toList(),
                page.next());
    }

    public UserAccount find(String id) {
        return managed(id, "user-read");
    }

    public Created create(String username, String firstName, String lastName, String email, String role,
                          Optional<TenantId> named, Optional<String> password) {
        TenantId institution = institution(named, "user-create");
        givable(role, "user-create");
        institutions.find(institution).orElseThrow(() ->
                new IllegalArgumentException("EHR-0905 unknown institution " + institution));
        NewUser user = new NewUser(username, firstName, lastName, email, role, institution);
        password.ifPresent(UserAdminService::requireUsablePassword);
        available();
        audit.accessed(event(AuditAction.C, "user-create", user.username(), institution).withDetail("user "
                + user.username() + " as " + role + (password.isPresent() ? ", temporary password set"
                : ", no credential")));
        return new Created(directory.create(user, password), password.isPresent());
    }

    public UserAccount changeRole(String id, String role) {
        givable(role, "user-role");
        UserAccount account = managed(id, "user-role");
        notSelf(account, "change the role of");
        audit.accessed(event(AuditAction.U, "user-role", account.id(), institutionOf(account))
                .withDetail("user " + account.username() + " " + account.staffRole().orElse("-") + " -> " + role));
        Optional<String> practitioner = StaffRole.isCareRole(role)
                ? Optional.of(NewUser.practitionerIdFor(institutionOf(account), account.username()))
                : Optional.empty();
        directory.changeRole(account.id(), role, practitioner);
        return directory.find(account.id()).orElseThrow();
    }

    public UserAccount setEnabled(String id, boolean enabled) {
        String interaction = enabled ? "user-enable" : "user-disable";
        UserAccount account = managed(id, interaction);
        notSelf(account, enabled ? "enable" : "disable");
        audit.accessed(event(AuditAction.U, interaction, account.id(), institutionOf(account))
                .withDetail("user " + account.username() + (enabled ? " enabled" : " disabled")));
        directory.setEnabled(account.id(), enabled);
        return directory.find(account.id()).orElseThrow();
    }

    public void setTemporaryPassword(String id, String password) {
        UserAccount account = managed(id, "user-password");
        requireUsablePassword(password);
        audit.accessed(event(AuditAction.U, "user-password", account.id(), institutionOf(account))
                .withDetail("user " + account.username() + ": temporary password set"));
        directory.setTemporaryPassword(account.id(), password);
    }

    private static void requireUsablePassword(String password) {
        if (password == null || password.length() < 8 || password.length() > 128 || password.isBlank()) {
            throw new IllegalArgumentException("EHR-0911 a temporary password has 8 to 128 characters");
        }
    }

    /** The account, if the policy lets the caller manage it; any other is unknown (404), and the attempt audited. */
    private UserAccount managed(String id, String interaction) {
        Caller caller = currentCaller.get();
        try {
            policy.requireUserAdmin(caller);
        } catch (AccessDeniedException e) {
            audit.refused(event(AuditAction.E, interaction, id, null).refused(e.getMessage()));
            throw e;
        }
        available();
        Optional<UserAccount> account = directory.find(id).filter(a -> policy.mayManageUser(caller, a));
        if (account.isEmpty()) {
            NoSuchElementException e = new NoSuchElementException("EHR-0906 no user " + id);
            audit.refused(event(AuditAction.U, interaction, id, null).refused(e.getMessage()));
            throw e;
        }
        return account.get();
    }

    private TenantId institution(Optional<TenantId> named, String interaction) {
        try {
            return policy.userAdminInstitution(currentCaller.get(), named);
        } catch (AccessDeniedException e) {
            audit.refused(event(AuditAction.E, interaction, null, named.orElse(null)).refused(e.getMessage()));
            throw e;
        }
    }

    private void givable(String role, String interaction) {
        try {
            policy.requireGivableRole(currentCaller.get(), role);
        } catch (AccessDeniedException e) {
            audit.refused(event(AuditAction.E, interaction, null, null).refused(e.getMessage()));
            throw e;
        }
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

    private AuditRecord event(AuditAction action, String interaction, String user, TenantId institution) {
        return AuditRecorder.event(currentCaller.get(), action, interaction, null, user)
                .about(institution == null ? null : institution.value(), null, null);
    }
}
