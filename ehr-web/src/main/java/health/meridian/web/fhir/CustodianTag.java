package health.meridian.web.fhir;

import org.hl7.fhir.instance.model.api.IBaseCoding;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The institution holding a record (its custodian), shown on every resource the API returns as
 * {@code meta.tag urn:meridian:custodian|<tenant>} so clients can mark data shared by other institutions. Server
 * managed: a client's copy of the tag is dropped before a write is stored.
 */
public final class CustodianTag {

    public static final String SYSTEM = "urn:meridian:custodian";

    private CustodianTag() {
    }

    public static <T extends IBaseResource> T add(T resource, String tenant) {
        strip(resource);
        IBaseCoding tag = resource.getMeta().addTag();
        tag.setSystem(SYSTEM);
        tag.setCode(tenant);
        return resource;
    }

    public static void strip(IBaseResource resource) {
        resource.getMeta().getTag().removeIf(t -> SYSTEM.equals(t.getSystem()));
    }
}
