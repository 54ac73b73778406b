package health.meridian.web.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.IParser;

/**
 * The application's FHIR R4 context: HAPI's, except that every parser it makes writes a stored record answered
 * without its model ({@link RecordResources#answer}) from the stored JSON when the answer is plain compact JSON, and
 * parses it into the model first otherwise ({@link StoredJsonParser}). Parsing and every other encoding are HAPI's.
 */
public class StoredJsonFhirContext extends FhirContext {

    private final StoredJson stored = new StoredJson(this);
    private final RecordResources records = new RecordResources(this);

    public StoredJsonFhirContext() {
        super(FhirVersionEnum.R4);
    }

    @Override
    public IParser newJsonParser() {
        return new StoredJsonParser(super.newJsonParser(), stored, records);
    }

    @Override
    public IParser newXmlParser() {
        return new StoredJsonParser(super.newXmlParser(), stored, records);
    }

    @Override
    public IParser newRDFParser() {
        return new StoredJsonParser(super.newRDFParser(), stored, records);
    }
}
