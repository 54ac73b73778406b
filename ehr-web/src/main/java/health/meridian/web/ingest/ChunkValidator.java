package health.meridian.web.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.ingest.ImportInput;
import health.meridian.domain.ingest.ImportJobRepository;
import health.meridian.domain.ingest.ImportLineError;
import health.meridian.domain.record.EnvelopeExtractor;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.web.fhir.validation.ResourceValidation;
import health.meridian.web.security.AccessSeam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/**
 * The background validation of one chunk of an input the job loaded: each stored resource against the R4 structure
 * definitions (the interactive API's validator), in parallel on half the cores by default (the other half stays with
 * interactive requests; {@code MERIDIAN_IMPORT_VALIDATION_THREADS}). A resource that fails is never dropped:
 * it gets a new version tagged {@code urn:meridian:quarantine|structure-invalid} (so searches and reads show it) and
 * a line in the job's validation report with the validator's errors. The input's validation checkpoint moves in the
 * same transaction.
 */
@ApplicationScoped
public class ChunkValidator {

    public static final String QUARANTINE_SYSTEM = "urn:meridian:quarantine";
    public static final String QUARANTINE_CODE = "structure-invalid";

    @Inject
    AccessSeam seam;
    @Inject
    RecordRepository records;
    @Inject
    ImportJobRepository jobs;
    @Inject
    ResourceValidation validation;
    @Inject
    EnvelopeExtractor extractor;
    @Inject
    FhirContext fhir;
    @Inject
    Parallel parallel;
    @Inject
    ImportSettings settings;

    /** A line of the input: its number and its resource's key here (null: the line stored nothing). */
    record Line(int number, ResourceKey key) {
    }

    private record Checked(Line line, StoredResource stored, Resource resource, List<SingleValidationMessage> errors) {
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    int[] validate(JobContext ctx, ImportInput input, List<Line> lines, int lastLine) {
        seam.writingFor(ctx.caller, AuditAction.U, "bulk-import-validation", input.resourceType(), null);
        if (!jobs.renew(ctx.job, ctx.owner, ctx.lease)) {
            throw new LeaseLostException(ctx.job.toString());
        }
        List<Optional<StoredResource>> stored = lines.stream().map(l -> l.key() == null ? Optional.<StoredResource>empty()
                : records.current(l.key()).filter(s -> !s.deleted() && s.version() == 1)).toList();
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (stored.get(i).isPresent()) {
                present.add(i);
            }
        }
        List<Checked> checked = parallel.map(present, i -> check(lines.get(i), stored.get(i).get()),
                settings.validationThreads());
        List<ImportLineError> issues = new ArrayList<>();
        for (Checked c : checked) {
            if (!c.errors().isEmpty()) {
                quarantine(ctx, c);
                issues.add(new ImportLineError(input.ordinal(), c.line().number(), c.stored().key().type(),
                        c.stored().key().id(), outcome(c, input)));
            }
        }
        jobs.issues(ctx.job, issues);
        jobs.validated(ctx.job, input.ordinal(), lastLine, checked.size(), issues.size());
        return new int[] {checked.size(), issues.size()};
    }

    private Checked check(Line line, StoredResource stored) {
        Resource resource = (Resource) fhir.newJsonParser().parseResource(stored.json());
        ValidationResult result = validation.validate(resource);
        return new Checked(line, stored, resource, result.getMessages().stream().filter(ResourceValidation::isError)
                .toList());
    }

    private void quarantine(JobContext ctx, Checked c) {
        Resource r = c.resource();
        r.getMeta().addTag().setSystem(QUARANTINE_SYSTEM).setCode(QUARANTINE_CODE)
                .setDisplay("failed R4 structure-definition validation (bulk import job " + ctx.job + ")");
        r.getMeta().setVersionId("2").setLastUpdated(new java.util.Date());
        records.append(c.stored().key(), extractor.extract(r, c.stored().key().id()), c.stored().personId(),
                fhir.newJsonParser().encodeResourceToString(r));
    }

    private static String outcome(Checked c, ImportInput input) {
        StringBuilder why = new StringBuilder("EHR-1020 quarantined " + c.stored().key().type() + "/"
                + c.stored().key().id() + ":");
        for (SingleValidationMessage m : c.errors()) {
            why.append(' ').append(m.getLocationString()).append(": ").append(m.getMessage()).append(';');
        }
        return LineOutcome.json("error", "processing", why.toString(), input.source(), c.line().number());
    }
}
