package health.meridian.search;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.ResourceCatalogue;
import java.util.List;

/** The timeline category of an entry: the observation category when there is one, else its type's (catalogue). */
public final class TimelineKinds {

    private static final ResourceCatalogue CATALOGUE = new ResourceCatalogue(FhirContext.forR4Cached());

    private TimelineKinds() {
    }

    public static String of(String type, List<String> categoryCodes) {
        if ("Observation".equals(type) && !categoryCodes.isEmpty()) {
            return categoryCodes.get(0);
        }
        return CATALOGUE.entry(type).map(ResourceCatalogue.Entry::timelineKind).orElse(type.toLowerCase());
    }
}
