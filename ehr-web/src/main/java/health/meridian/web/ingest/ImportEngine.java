package health.meridian.web.ingest;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.ingest.ImportInput;
import health.meridian.domain.ingest.ImportJob;
import health.meridian.domain.record.ResourceKey;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a bulk import job from where it stands: the load (each input from its checkpoint, in chunks: lines parsed
 * strictly on all cores, then committed by {@link ChunkWriter}) and the per-person audit; or — a separate run, claimed
 * by the validation worker — the background validation ({@link ChunkValidator}; each chunk yields to this instance's
 * loads and the mirror's backlog first, {@link ValidationGate}), then complete. A run that dies leaves the job at its last committed chunk;
 * the next run — here or on another instance, once the lease expired — goes on from there.
 */
@ApplicationScoped
public class ImportEngine {

    private static final Logger LOG = Logger.getLogger(ImportEngine.class.getName());
    /** A job whose runs keep failing for other reasons than its lines is given up after this many runs. */
    static final int MAX_RUNS = 5;

    @Inject
    ImportJobsTx tx;
    @Inject
    ChunkWriter writer;
    @Inject
    ChunkValidator validator;
    @Inject
    ImportSources sources;
    @Inject
    ImportSettings settings;
    @Inject
    ImportFaults faults;
    @Inject
    Parallel parallel;
    @Inject
    FhirContext fhir;
    @Inject
    ValidationGate gate;

    private LineParser parser;

    @PostConstruct
    void init() {
        parser = new LineParser(fhir);
    }

    private record Line(int number, String text) {
    }

    /** Runs the job until it is complete, fails, loses its lease, or {@code stopping} says so. */
    public void run(ImportJob job, String owner, BooleanSupplier stopping) {
        JobContext ctx = new JobContext(job.id(), job.tenant(), CallerSnapshot.fromJson(job.requestedBy()), owner,
                settings.lease());
        try {
            List<ImportInput> inputs = tx.inputs(ctx.tenant, ctx.job);
            if (job.phase() == ImportJob.Phase.QUEUED || job.phase() == ImportJob.Phase.LOADING) {
                tx.phase(ctx.tenant, ctx.job, ImportJob.Phase.LOADING, null);
                boolean loaded;
                gate.loading(true);
                try {
                    loaded = load(ctx, inputs, stopping);
                } finally {
                    gate.loading(false);
                }
                if (!loaded) {
                    tx.release(ctx.tenant, ctx.job, owner);
                    return;
                }
                tx.loaded(ctx);
                tx.release(ctx.tenant, ctx.job, owner); // the validation worker takes it from here
                return;
            }
            if (!validate(ctx, inputs, stopping)) {
                tx.release(ctx.tenant, ctx.job, owner);
                return;
            }
            tx.phase(ctx.tenant, ctx.job, ImportJob.Phase.COMPLETE, null);
        } catch (ImportFaults.SimulatedCrash | LeaseLostException e) {
            LOG.warning(e.getMessage());
        } catch (RuntimeException | IOException e) {
            LOG.log(Level.WARNING, "import job " + job.id() + " run " + job.runs() + " failed", e);
            if (job.runs() >= MAX_RUNS || e instanceof health.meridian.web.security.AccessDeniedException) {
                tx.phase(ctx.tenant, ctx.job, ImportJob.Phase.FAILED, "EHR-1030 " + e.getMessage());
            } else {
                tx.release(ctx.tenant, ctx.job, owner);
            }
        }
    }

    private boolean load(JobContext ctx, List<ImportInput> inputs, BooleanSupplier stopping) throws IOException {
        for (ImportInput input : inputs) { // the ids of the whole job first: references between inputs resolve
            try (BufferedReader reader = open(ctx, input)) {
                List<Line> chunk;
                int number = 0;
                while (!(chunk = read(reader, number, settings.chunkLines())).isEmpty()) {
                    number = chunk.get(chunk.size() - 1).number();
                    parallel.map(chunk, l -> JobIds.scanned(l.text())).forEach(ctx.ids::note);
                }
            }
        }
        ctx.persons.addAll(tx.persons(ctx.tenant, ctx.job));
        for (ImportInput input : inputs) {
            try (BufferedReader reader = open(ctx, input)) {
                int number = skip(reader, input.linesDone());
                List<Line> chunk;
                while (!(chunk = read(reader, number, settings.chunkLines())).isEmpty()) {
                    if (stopping.getAsBoolean()) {
                        return false;
                    }
                    number = chunk.get(chunk.size() - 1).number();
                    String type = "*".equals(input.resourceType()) ? null : input.resourceType();
                    List<ParsedLine> parsed = parallel.map(chunk, l -> parser.parse(ctx.ids, type, input.ordinal(),
                            l.number(), l.text()));
                    ctx.merge(writer.write(ctx, input, parsed, number));
                    faults.afterChunk(ctx);
                }
            }
        }
        return true;
    }

    private boolean validate(JobContext ctx, List<ImportInput> inputs, BooleanSupplier stopping) throws IOException {
        for (ImportInput input : inputs) {
            try (BufferedReader reader = open(ctx, input)) {
                int number = skip(reader, input.validatedLines());
                List<Line> chunk;
                while (!(chunk = read(reader, number, settings.chunkLines())).isEmpty()) {
                    if (stopping.getAsBoolean()) {
                        return false;
                    }
                    if (!gate.awaitTurn(ValidationGate.MAX_WAIT, () -> tx.renew(ctx), ctx.lease.dividedBy(3),
                            stopping)) {
                        return false;
                    }
                    number = chunk.get(chunk.size() - 1).number();
                    validator.validate(ctx, input, chunk.stream().map(l -> new ChunkValidator.Line(l.number(),
                            keyOf(ctx, input, l))).toList(), number);
                }
            }
        }
        return true;
    }

    /** The key a line was stored under (its id derived as the load derived it); null for a line that is no resource. */
    private static ResourceKey keyOf(JobContext ctx, ImportInput input, Line line) {
        String[] typeAndId = JobIds.typeAndId(line.text());
        if (typeAndId == null) {
            return null;
        }
        String id = typeAndId[1] == null ? ctx.ids.idOfLine(input.ordinal(), line.number())
                : ctx.ids.id(typeAndId[0], typeAndId[1]);
        try {
            return new ResourceKey(ctx.tenant, typeAndId[0], id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private BufferedReader open(JobContext ctx, ImportInput input) throws IOException {
        String uploaded = input.uploaded() ? tx.content(ctx.tenant, ctx.job, input.ordinal()).orElse("") : null;
        return sources.open(input.source(), uploaded);
    }

    private static int skip(BufferedReader reader, int lines) throws IOException {
        for (int i = 0; i < lines; i++) {
            if (reader.readLine() == null) {
                return i;
            }
        }
        return lines;
    }

    private static List<Line> read(BufferedReader reader, int after, int max) throws IOException {
        List<Line> out = new ArrayList<>();
        String text;
        while (out.size() < max && (text = reader.readLine()) != null) {
            out.add(new Line(after + out.size() + 1, text));
        }
        return out;
    }
}
