package health.meridian.domain.access;

import health.meridian.domain.tenant.TenantId;

/**
 * The patient's consent to the outside-records hint (ADR 0033): whether clinicians who treat them may be told that
 * other institutions hold records about them — never which, how many or what. Off unless the patient switched it on.
 */
public interface OutsideRecordsHints {

    /** The patient's own choice (the transaction must be bound to {@code person}); false if never chosen. */
    boolean enabled(String person);

    /** Records the patient's own choice (the transaction must be bound to {@code person}). */
    void choose(String person, boolean enabled);

    /**
     * The one bit the hint may show, past row-level security: the person opted in AND an institution other than
     * {@code caller} holds a record about them. Without the opt-in: false, whatever is held elsewhere. Only for the
     * access policy to decide on; never answered to anyone it does not admit.
     */
    boolean optedInAndHeldElsewhere(String person, TenantId caller);
}
