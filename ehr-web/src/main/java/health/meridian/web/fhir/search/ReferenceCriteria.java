package health.meridian.web.fhir.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.domain.search.RecordQuery.Term;
import health.meridian.search.params.IndexFields;
import health.meridian.search.params.SearchParamCatalogue.Kind;
import health.meridian.search.params.SearchParamCatalogue.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference parameters: {@code Type/id}, a bare id (typed by the {@code :Type} modifier or the only target type),
 * an absolute URL, {@code :identifier}, and one-level chains ({@code subject:Patient.name=x}).
 */
final class ReferenceCriteria {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private ReferenceCriteria() {
    }

    static Criterion reference(String type, Param param, String modifier, List<String> values) {
        if ("identifier".equals(modifier)) {
            return new Term(IndexFields.TOKEN, values.stream()
                    .map(v -> IndexFields.key(param.name() + ".identifier", v)).toList());
        }
        String targetType = modifier == null ? null : targetType(type, param, modifier);
        List<String> keys = new ArrayList<>();
        for (String v : values) {
            keys.addAll(keys(param, targetType, v));
        }
        return new Term(IndexFields.REFERENCE, keys);
    }

    private static List<String> keys(Param param, String targetType, String value) {
        String v = value.contains("/_history/") ? value.substring(0, value.indexOf("/_history/")) : value;
        List<String> keys = new ArrayList<>();
        if (v.contains("://") || v.startsWith("urn:")) {
            keys.add(IndexFields.key(param.name(), v));
            String[] parts = v.split("/");
            if (parts.length >= 2 && FHIR.getResourceTypes().contains(parts[parts.length - 2])) {
                keys.add(IndexFields.key(param.name(), parts[parts.length - 2] + "/" + parts[parts.length - 1]));
            }
        } else if (v.contains("/")) {
            keys.add(IndexFields.key(param.name(), v));
        } else if (targetType != null) {
            keys.add(IndexFields.key(param.name(), targetType + "/" + v));
        } else if (param.targets().size() == 1) {
            keys.add(IndexFields.key(param.name(), param.targets().get(0) + "/" + v));
        } else {
            keys.add(IndexFields.key(param.name(), v));
        }
        return keys;
    }

    private static String targetType(String type, Param param, String modifier) {
        if (!FHIR.getResourceTypes().contains(modifier)
                || (!param.targets().isEmpty() && !param.targets().contains(modifier))) {
            throw new InvalidRequestException("EHR-0504 unsupported modifier :" + modifier + " on " + param.name()
                    + " of " + type + "; supported: :identifier, :missing, or a target type (" + String.join(", ",
                    param.targets()) + ")");
        }
        return modifier;
    }

    /** Links of a chain at most ({@code subject:Patient.organization.partof.name} has three). */
    static final int MAX_CHAIN_LINKS = 3;

    /**
     * {@code ref[:Type].param[:modifier]=value}, or a longer chain {@code ref[:Type].ref2[:Type2].param=value}: the references to the resources of the target type(s) that match
     * (searched under the caller's scope, at most 1,000 per type).
     */
    static Criterion chain(String type, String key, String raw, SearchTranslator.Joins joins) {
        int dot = key.indexOf('.');
        String head = key.substring(0, dot);
        String tail = key.substring(dot + 1);
        if (key.chars().filter(c -> c == '.').count() > MAX_CHAIN_LINKS) {
            throw new InvalidRequestException("EHR-0502 chains of more than " + MAX_CHAIN_LINKS + " links are not"
                    + " supported: '" + key + "'");
        }
        String name = head.contains(":") ? head.substring(0, head.indexOf(':')) : head;
        Param param = SearchParameters.require(type, name);
        if (param.kind() != Kind.REFERENCE) {
            throw new InvalidRequestException("EHR-0502 '" + name + "' of " + type + " is not a reference: it cannot"
                    + " be chained");
        }
        List<String> targets = head.contains(":") ? List.of(targetType(type, param, head.substring(head.indexOf(':')
                + 1))) : param.targets();
        // the target's parameter: up to its modifier or, in a longer chain, up to the next link (resolved in turn by
        // the target type's own translation, a scoped search per link)
        String targetName = tail.split("[:.]", 2)[0];
        List<String> refs = new ArrayList<>();
        boolean any = false;
        for (String target : targets) {
            if (SearchParameters.supported(target).stream().anyMatch(p -> p.name().equals(targetName))) {
                any = true;
                refs.addAll(joins.matching(target, tail, raw));
            }
        }
        if (!any) {
            throw new InvalidRequestException("EHR-0502 unsupported chained parameter '" + key + "' for " + type
                    + ": '" + targetName + "' is not a supported parameter of " + String.join(", ", targets));
        }
        List<String> keys = refs.stream().map(r -> IndexFields.key(name, r)).toList();
        return new Term(IndexFields.REFERENCE, keys.isEmpty() ? List.of(IndexFields.key(name, "-none-")) : keys);
    }
}
