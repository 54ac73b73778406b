package health.meridian.web.record;

import health.meridian.domain.access.CareTeamDirectory;
import health.meridian.domain.access.RecordLocator;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.infrastructure.persistence.PersonRegistry;
import health.meridian.web.security.AccessContext;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.Caller;
import health.meridian.web.security.CurrentCaller;
import health.meridian.web.security.Decision;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Registering a new Patient record: the person it is linked to, and the care relationship registration starts
 * (ADR 0012, amended by ADR 0014). Naming a person is not a care relationship.
 */
@ApplicationScoped
public class PatientRegistration {

    /** Identifier system whose value links a Patient record to a person (the token's person_id). */
    public static final String PERSON_SYSTEM = "urn:meridian:person";

    @Inject
    PersonRegistry persons;
    @Inject
    RecordLocator locator;
    @Inject
    CareTeamDirectory careTeams;
    @Inject
    AccessContext access;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller currentCaller;

    /**
     * The person of a newly registered Patient record: the one its identifier {@code urn:meridian:person|<id>}
     * names, or a new person. Who may assert a link (ADR 0018): naming a person the platform does not know yet
     * registers them; naming a known person is allowed only to an institution that already holds a Patient record
     * of them (a second registration) or that the person has consented to (an active grant to the registrant or to
     * the institution). Anyone else is refused with EHR-0450: a foreign institution cannot attach records to
     * someone else's person; the refusal is audited with the person named (it shows in their access log). The
     * registering clinician or nurse gets the care relationship of registration (their
     * "registered by" care team at this institution) only where that opens no record that already exists: for a
     * new person, or a person registered for the first time at this institution.
     */
    public String personForNewPatient(AccessSeam.Writing writing, RecordEnvelope envelope) {
        Caller c = writing.caller();
        Optional<String> named = namedPerson(envelope);
        boolean firstHere = true;
        if (named.isPresent()) {
            String person = named.get();
            boolean isNew = persons.ensureNew(person);
            firstHere = isNew || !registeredHere(c, person);
            Decision link = policy.decidePersonLink(c, access.bindForWrite(c), person, isNew,
                    !firstHere);
            if (!link.permitted()) {
                writing.refused(link.reason(), person);
                throw new IllegalArgumentException(link.reason());
            }
        }
        String person = named.orElseGet(persons::register);
        if (firstHere && c.practitionerId().isPresent() && policy.isCareProfessional(c)) {
            careTeams.enrolRegisteredPatient(c.practitionerId().get(), c.displayName(),
                    c.hasRole("clinician") ? "clinician" : "nurse", person);
            access.forget();
        }
        return person;
    }

    /** Does the caller's institution already hold a Patient record of this person (past the caller's own view)? */
    private boolean registeredHere(Caller caller, String person) {
        String here = caller.requireTenant().value();
        return locator.patientRecordsOf(person, here).stream().anyMatch(k -> k.tenant().value().equals(here));
    }

    private static Optional<String> namedPerson(RecordEnvelope envelope) {
        return envelope.identifiers().stream().filter(i -> i.startsWith(PERSON_SYSTEM + "|"))
                .map(i -> i.substring(PERSON_SYSTEM.length() + 1)).findFirst();
    }
}
