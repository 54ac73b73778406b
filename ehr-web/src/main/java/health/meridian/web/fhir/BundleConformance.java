package health.meridian.web.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;

/**
 * Every Bundle Meridian answers keeps two R4 rules HAPI's bundle factory leaves to the server: a {@code Bundle.id}
 * is a FHIR id (at most 64 of {@code [A-Za-z0-9-.]}; HAPI uses the search id, which for Meridian's stateless paging
 * is the encoded search state — that stays in the paging links, the Bundle gets a fresh id), and each entry of a
 * searchset says why it is there ({@code search.mode}: {@code include} where an _include/_revinclude or a referenced
 * resource put it, else {@code match}). Bundles inside a batch response's entries (a search in a batch) too.
 */
@Interceptor
@ApplicationScoped
public class BundleConformance {

    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void conform(ResponseDetails response) {
        if (response.getResponseResource() instanceof Bundle bundle) {
            conform(bundle);
        }
    }

    public static void conform(Bundle bundle) {
        if (bundle.hasId() && !FHIR_ID.matcher(bundle.getIdElement().getIdPart()).matches()) {
            bundle.setId(UUID.randomUUID().toString());
        }
        for (BundleEntryComponent entry : bundle.getEntry()) {
            if (bundle.getType() == Bundle.BundleType.SEARCHSET && entry.getResource() != null
                    && !entry.getSearch().hasMode()) {
                entry.getSearch().setMode(SearchEntryMode.MATCH);
            }
            if (entry.getResource() instanceof Bundle nested) {
                conform(nested);
            }
        }
    }
}
