package health.meridian.web.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Strict parsing of one ndjson line (HAPI's parser with the context's strict error handler: unknown elements, wrong
 * types and bad primitives refuse the line) and the job's reference integrity: {@code Type/id} and
 * {@code urn:uuid:id} references to resources of the job point at their ids here; other {@code Type/id} references
 * are listed for the writer to find in the institution; a reference to nothing known refuses the line. Pure and
 * thread-safe (one parser per thread): lines of a chunk are parsed in parallel on the cores.
 */
final class LineParser {

    private final FhirContext fhir;
    private final ThreadLocal<IParser> parsers;
    private final ThreadLocal<FhirTerser> tersers;

    LineParser(FhirContext fhir) {
        this.fhir = fhir;
        this.parsers = ThreadLocal.withInitial(fhir::newJsonParser);
        this.tersers = ThreadLocal.withInitial(fhir::newTerser);
    }

    ParsedLine parse(JobIds ids, String expectedType, int ordinal, int line, String text) {
        if (text.isBlank()) {
            return ParsedLine.refused(line, "EHR-1010 empty line");
        }
        IBaseResource parsed;
        try {
            parsed = parsers.get().parseResource(text);
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            return ParsedLine.refused(line, "EHR-1010 not a valid FHIR R4 resource: " + e.getMessage());
        }
        if (!(parsed instanceof Resource resource) || "Bundle".equals(parsed.fhirType())) {
            return ParsedLine.refused(line, "EHR-1010 not a resource that can be imported: " + parsed.fhirType());
        }
        if (expectedType != null && !expectedType.equals(resource.fhirType())) {
            return ParsedLine.refused(line, "EHR-1011 a " + resource.fhirType() + " in the input of type "
                    + expectedType);
        }
        String sourceId = resource.getIdElement().getIdPart();
        String id = sourceId == null ? ids.idOfLine(ordinal, line) : ids.id(resource.fhirType(), sourceId);
        resource.setId(resource.fhirType() + "/" + id);
        resource.getMeta().setVersionId(null).setLastUpdated(null);
        List<String> external = new ArrayList<>();
        List<Reference> conditional = new ArrayList<>();
        for (Reference ref : tersers.get().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String unresolved = rewrite(ids, ref, external, conditional);
            if (unresolved != null) {
                return ParsedLine.refused(line, "EHR-1012 unknown reference " + unresolved);
            }
        }
        return new ParsedLine(line, resource, sourceId, external, conditional, null);
    }

    /** A conditional reference ({@code Type?identifier=s|v}) to a resource of the job itself, or null. */
    private static String ownConditional(JobIds ids, String target) {
        try {
            health.meridian.web.record.ConditionalCriteria c = health.meridian.web.record.ConditionalCriteria
                    .parse(null, target);
            String source = c.type() == null ? null : ids.withIdentifier(c.type(), c.identifier());
            return source == null ? null : c.type() + "/" + ids.id(c.type(), source);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Rewrites one reference; returns it when it can be nothing the job or the institution holds. */
    private static String rewrite(JobIds ids, Reference ref, List<String> external, List<Reference> conditional) {
        String target = ref.getReference();
        if (target == null || target.startsWith("#") || target.startsWith("http://") || target.startsWith("https://")) {
            return null;
        }
        if (target.startsWith("urn:uuid:")) {
            String source = target.substring("urn:uuid:".length());
            String type = ids.typeOf(source);
            if (type == null) {
                return target;
            }
            ref.setReference(type + "/" + ids.id(type, source));
            return null;
        }
        if (target.contains("?")) {
            String own = ownConditional(ids, target);
            if (own != null) {
                ref.setReference(own);
            } else {
                conditional.add(ref);
            }
            return null;
        }
        String[] parts = target.split("/");
        if (parts.length != 2 && !(parts.length == 4 && "_history".equals(parts[2]))) {
            return target;
        }
        if (ids.contains(parts[0], parts[1])) {
            ref.setReference(parts[0] + "/" + ids.id(parts[0], parts[1]));
        } else {
            external.add(parts[0] + "/" + parts[1]);
            ref.setReference(parts[0] + "/" + parts[1]);
        }
        return null;
    }
}
