package health.meridian.web.ingest;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.ingest.ImportInput;
import health.meridian.domain.ingest.ImportJobRepository;
import health.meridian.domain.ingest.ImportLineError;
import health.meridian.domain.record.EnvelopeExtractor;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.RecordRepository.NewResource;
import health.meridian.domain.record.ResourceKey;
import health.meridian.web.fhir.CustodianTag;
import health.meridian.web.record.ConditionalCriteria;
import health.meridian.web.record.PatientRegistration;
import health.meridian.web.record.RecordSubjects;
import health.meridian.web.security.AccessFacts;
import health.meridian.web.security.AccessSeam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Commits one chunk of an input in one transaction: the write decision for the job's caller (the seam, as for a
 * request), the records it refers to that must already be stored here, the person of every record (new Patients
 * registered, records about stored patients only with a care relationship — refusals answered as unknown
 * references, like the API), then version, head and outbox rows of all its resources in batched multi-row inserts,
 * its refused lines in the error file, and the input's checkpoint. All or nothing: a resumed job starts after the
 * last chunk that committed.
 */
@ApplicationScoped
public class ChunkWriter {

    @Inject
    AccessSeam seam;
    @Inject
    RecordRepository records;
    @Inject
    ImportJobRepository jobs;
    @Inject
    EnvelopeExtractor extractor;
    @Inject
    PatientRegistration registration;
    @Inject
    FhirContext fhir;
    @Inject
    Parallel parallel;

    /** What a committed chunk adds to its job's run. */
    record Result(int committed, int refused, Map<String, String> personOfPatient, Set<String> persons,
                  Map<String, String> storedTargets, Map<String, String> conditional) {
    }

    private record Prepared(ParsedLine line, ResourceKey key, RecordEnvelope envelope, String json, String error) {
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Result write(JobContext ctx, ImportInput input, List<ParsedLine> lines, int lastLine) {
        AccessSeam.Writing writing = seam.writingFor(ctx.caller, AuditAction.C, "bulk-import",
                input.resourceType(), null);
        if (!jobs.renew(ctx.job, ctx.owner, ctx.lease)) {
            throw new LeaseLostException(ctx.job.toString());
        }
        Chunk chunk = new Chunk(ctx, writing);
        chunk.prefetch(lines);
        List<ParsedLine> resolved = lines.stream().map(chunk::resolve).toList();
        Date now = new Date();
        List<Prepared> prepared = parallel.map(resolved, l -> l.ok() ? prepare(ctx, l, now) : null);
        List<NewResource> rows = new ArrayList<>();
        for (int i = 0; i < resolved.size(); i++) {
            ParsedLine line = resolved.get(i);
            if (!line.ok()) {
                chunk.refuse(input, line.line(), line.error());
                continue;
            }
            Prepared p = prepared.get(i);
            if (p.error() != null) {
                chunk.refuse(input, line.line(), p.error());
                continue;
            }
            try {
                rows.add(new NewResource(p.key(), p.envelope(), chunk.person(p), p.json()));
            } catch (IllegalArgumentException e) {
                chunk.refuse(input, line.line(), e.getMessage());
            }
        }
        records.appendNew(rows);
        jobs.errors(ctx.job, chunk.errors);
        jobs.persons(ctx.job, chunk.persons);
        jobs.loaded(ctx.job, input.ordinal(), lastLine, rows.size(), chunk.errors.size());
        return new Result(rows.size(), chunk.errors.size(), chunk.personOfPatient, chunk.persons, chunk.storedTargets,
                chunk.conditional);
    }

    private Prepared prepare(JobContext ctx, ParsedLine line, Date now) {
        Resource r = line.resource();
        String id = r.getIdElement().getIdPart();
        CustodianTag.strip(r);
        r.getMeta().setVersionId("1").setLastUpdated(now);
        try {
            RecordEnvelope envelope = extractor.extract(r, id);
            return new Prepared(line, new ResourceKey(ctx.tenant, r.fhirType(), id), envelope,
                    fhir.newJsonParser().encodeResourceToString(r), null);
        } catch (RuntimeException e) {
            return new Prepared(line, null, null, null, "EHR-1014 cannot be stored: " + e.getMessage());
        }
    }

    /** The state of one chunk: what it learnt (merged into the run only once committed) and what it refused. */
    private final class Chunk {
        final JobContext ctx;
        final AccessSeam.Writing writing;
        final List<ImportLineError> errors = new ArrayList<>();
        final Map<String, String> personOfPatient = new HashMap<>();
        final Set<String> persons = new HashSet<>();
        final Map<String, String> storedTargets = new HashMap<>();
        final Map<String, String> conditional = new HashMap<>();
        /** {@code Type/id} → person ({@code NOBODY}: about no one) of stored records, read ahead in one query. */
        final Map<String, String> found = new HashMap<>();
        AccessFacts facts;

        Chunk(JobContext ctx, AccessSeam.Writing writing) {
            this.ctx = ctx;
            this.writing = writing;
        }

        void refuse(ImportInput input, int line, String why) {
            errors.add(new ImportLineError(input.ordinal(), line, null, null, LineOutcome.error(why, input.source(),
                    line)));
        }

        /**
         * The persons of the stored records the chunk's lines name (their {@code Type/id} references to records
         * stored before, and a Provenance's targets — hundreds per Synthea Provenance), read with one query per few
         * hundred instead of one look-up each. What is not found here is looked up (and refused) one by one later.
         */
        void prefetch(List<ParsedLine> lines) {
            Set<ResourceKey> wanted = new HashSet<>();
            for (ParsedLine line : lines) {
                if (!line.ok()) {
                    continue;
                }
                line.external().forEach(t -> want(wanted, t));
                if (RecordSubjects.governedByTargets(line.resource().fhirType())) {
                    try {
                        RecordSubjects.governingTargets(line.resource()).forEach(t -> want(wanted, t));
                    } catch (IllegalArgumentException e) {
                        // refused when resolved
                    }
                }
            }
            if (!wanted.isEmpty()) {
                found.putAll(records.livePersons(wanted));
            }
        }

        private void want(Set<ResourceKey> wanted, String target) {
            if (ctx.storedTargets.containsKey(target) || ctx.personOfPatient.containsKey(target)
                    || target.indexOf('/') < 1 || target.indexOf('/') != target.lastIndexOf('/')) {
                return;
            }
            try {
                wanted.add(RecordSubjects.key(ctx.tenant, target));
            } catch (IllegalArgumentException e) {
                // not a key: refused when resolved
            }
        }

        /** Conditional, stored and identifier-only patient references resolved here; refused if unknown. */
        ParsedLine resolve(ParsedLine line) {
            if (!line.ok()) {
                return line;
            }
            try {
                for (Reference ref : line.conditional()) {
                    ref.setReference(conditionalTarget(ref.getReference()));
                }
                for (String target : line.external()) {
                    storedPerson(target);
                }
                RecordSubjects.resolvePatientReferences(extractor, line.resource(), identifier -> match("Patient",
                        identifier));
                if (RecordSubjects.governedByTargets(line.resource().fhirType())) {
                    RecordSubjects.governingTargets(line.resource()); // a Binary without securityContext: EHR-0462
                }
                return line;
            } catch (IllegalArgumentException e) {
                return line.refuse(e.getMessage().startsWith("EHR-0402") ? "EHR-1012 " + e.getMessage()
                        .substring("EHR-0402 ".length()) : e.getMessage());
            }
        }

        private String conditionalTarget(String criteria) {
            String known = ctx.conditional.getOrDefault(criteria, conditional.get(criteria));
            if (known != null) {
                return known;
            }
            ConditionalCriteria c = ConditionalCriteria.parse(null, criteria);
            String target = c.type() + "/" + match(c.type(), c.identifier()).orElseThrow(() ->
                    new IllegalArgumentException("EHR-1012 unknown reference " + criteria));
            storedPerson(target);
            conditional.put(criteria, target);
            return target;
        }

        private Optional<String> match(String type, String identifier) {
            List<ResourceKey> found = records.findByIdentifier(new ResourceKey(ctx.tenant, type, "scope"), identifier);
            if (found.size() > 1) {
                throw new IllegalArgumentException("EHR-1013 " + type + "?identifier=" + identifier + " matches "
                        + found.size() + " records");
            }
            return found.stream().findFirst().map(ResourceKey::id);
        }

        /** The person of a record stored here before; unknown or not writable for the caller: refused alike. */
        private String storedPerson(String target) {
            String person = ctx.storedTargets.getOrDefault(target, storedTargets.get(target));
            if (person != null) {
                return person;
            }
            ResourceKey key = RecordSubjects.key(ctx.tenant, target);
            person = found.get(target);
            if (person == null) {
                person = records.current(key).filter(s -> !s.deleted()).map(s -> s.personId() == null
                        ? JobContext.NOBODY : s.personId()).orElseThrow(() -> unknown(target));
            }
            if (!JobContext.NOBODY.equals(person) && !ctx.persons.contains(person) && !persons.contains(person)
                    && !writing.mayWrite(key, person, facts())) {
                throw unknown(target);
            }
            storedTargets.put(target, person);
            if (!JobContext.NOBODY.equals(person)) {
                persons.add(person);
            }
            return person;
        }

        private AccessFacts facts() {
            if (facts == null) {
                facts = writing.facts();
            }
            return facts;
        }

        /** The person a new record is about: a new Patient is registered; others take their patient's person. */
        String person(Prepared p) {
            String type = p.key().type();
            String ref = type + "/" + p.key().id();
            String person;
            if ("Patient".equals(type)) {
                person = registration.personForNewPatient(writing, p.envelope());
                personOfPatient.put(ref, person);
            } else if (RecordSubjects.governedByTargets(type)) {
                person = RecordSubjects.provenancePerson(RecordSubjects.governingTargets(p.line().resource()),
                        t -> Optional.of(targetPerson(t)).filter(x -> !JobContext.NOBODY.equals(x)));
            } else if (p.envelope().patientRef() == null) {
                person = null;
            } else {
                person = targetPerson(p.envelope().patientRef());
            }
            if (person != null && !JobContext.NOBODY.equals(person)) {
                persons.add(person);
                return person;
            }
            return null;
        }

        private String targetPerson(String target) {
            String person = personOfPatient.get(target);
            if (person == null) {
                person = ctx.personOfPatient.get(target);
            }
            return person != null ? person : storedPerson(target);
        }

        private IllegalArgumentException unknown(String target) {
            return new IllegalArgumentException("EHR-1012 unknown reference " + target);
        }
    }
}
