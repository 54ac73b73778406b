package health.meridian.web.cohort;

import health.meridian.domain.cohort.DifferencingGuard;
import health.meridian.domain.cohort.DifferencingGuard.Disclosure;
import health.meridian.domain.cohort.DisclosureLedger;
import health.meridian.domain.cohort.PersonSetSketch;
import health.meridian.web.security.AccessSeam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link DifferencingGuard} for aggregate-only callers, with its memory in PostgreSQL ({@link DisclosureLedger}):
 * one user's answers are judged one at a time on every instance (the ledger's lock), each answer's persons are
 * remembered as a {@link PersonSetSketch}, and every refusal is audited and answered 409 with the same message
 * whatever the persons behind it.
 */
@ApplicationScoped
public class CohortGuard {

    @Inject
    DisclosureLedger ledger;
    @Inject
    CohortGuard self;

    private final DifferencingGuard rules = new DifferencingGuard();

    /** Refuses (409 EHR-0831) a user locked out by too many refusals, before anything is evaluated. */
    public void requireNotLockedOut(AccessSeam.Acting acting) {
        self.lockOut(acting.caller().subject()).ifPresent(refusal -> refuse(acting, refusal));
    }

    /**
     * Admits the answers {@code persons} (definition key to the persons counted) of one request, or refuses them all
     * (409 EHR-0830/0831); answers remembered under a key in {@code ignoring} are not compared with (the two cohorts
     * a comparison's parts come from).
     */
    public void admit(AccessSeam.Acting acting, Map<String, PersonSetSketch> persons, Set<String> ignoring) {
        self.judge(acting.caller().subject(), persons, ignoring).ifPresent(refusal -> refuse(acting, refusal));
    }

    @Transactional
    public Optional<String> lockOut(String subject) {
        Instant now = Instant.now();
        return rules.lockOut(ledger.read(subject, now.minus(DifferencingGuard.WINDOW), DifferencingGuard.HISTORY), now);
    }

    /** Judges and remembers in one transaction, holding the user's lock (so no two answers pass side by side). */
    @Transactional
    public Optional<String> judge(String subject, Map<String, PersonSetSketch> persons, Set<String> ignoring) {
        Instant now = Instant.now();
        List<Disclosure> recent = ledger.lockAndRead(subject, now.minus(DifferencingGuard.WINDOW),
                DifferencingGuard.HISTORY);
        Optional<String> locked = rules.lockOut(recent, now);
        if (locked.isPresent()) {
            return locked;
        }
        List<Disclosure> compared = recent.stream().filter(d -> !ignoring.contains(d.definition())).toList();
        for (Map.Entry<String, PersonSetSketch> answer : persons.entrySet()) {
            Optional<String> refusal = rules.check(compared, answer.getKey(), answer.getValue(), now);
            if (refusal.isPresent()) {
                ledger.add(subject, Disclosure.refusal(answer.getKey(), now));
                return refusal;
            }
        }
        persons.forEach((key, sketch) -> ledger.add(subject, new Disclosure(key, sketch, now)));
        return Optional.empty();
    }

    /** The refusal, audited through the use case's seam (its event carries the query). */
    private static void refuse(AccessSeam.Acting acting, String refusal) {
        throw acting.refused(new IllegalStateException(refusal), e -> e);
    }

    /** The key under which an answer is remembered: SHA-256 (hex) of its parts. */
    static String key(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
