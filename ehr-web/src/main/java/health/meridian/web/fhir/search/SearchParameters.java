package health.meridian.web.fhir.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.search.params.SearchParamCatalogue;
import health.meridian.search.params.SearchParamCatalogue.Param;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The search parameters of each type as the FHIR adapter sees them: the R4 definitions of
 * {@link SearchParamCatalogue} (supported or refused with the reason). The CapabilityStatement lists exactly the
 * supported ones; an unknown parameter is refused with EHR-0501, a known but unsupported one with EHR-0531.
 */
public final class SearchParameters {

    private static final SearchParamCatalogue CATALOGUE = new SearchParamCatalogue(FhirContext.forR4Cached());

    private SearchParameters() {
    }

    public static List<Param> supported(String type) {
        return CATALOGUE.supported(type);
    }

    /** The supported parameter {@code name} of {@code type}, or a 400 saying why not. */
    public static Param require(String type, String name) {
        Param p = CATALOGUE.find(type, name).orElseThrow(() -> new InvalidRequestException("EHR-0501 unknown search"
                + " parameter '" + name + "' for " + type + " (not an R4 search parameter of " + type + "); supported: "
                + supportedNames(type)));
        if (!p.supported()) {
            throw new InvalidRequestException("EHR-0531 search parameter '" + name + "' of " + type
                    + " is not supported: " + p.refusal());
        }
        return p;
    }

    public static String supportedNames(String type) {
        return supported(type).stream().map(Param::name).collect(Collectors.joining(", "));
    }
}
