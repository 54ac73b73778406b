package health.meridian.web.ingest;

import java.util.List;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * One line of an input after strict parsing: the resource with its id here and its references to the job's own
 * resources rewritten — or why the line is refused. {@code external} are the {@code Type/id} references it makes to
 * records that must already be stored here; {@code conditional} its {@code Type?identifier=} references.
 */
record ParsedLine(int line, Resource resource, String sourceId, List<String> external, List<Reference> conditional,
                  String error) {

    static ParsedLine refused(int line, String error) {
        return new ParsedLine(line, null, null, List.of(), List.of(), error);
    }

    boolean ok() {
        return error == null;
    }

    ParsedLine refuse(String why) {
        return refused(line, why);
    }
}
