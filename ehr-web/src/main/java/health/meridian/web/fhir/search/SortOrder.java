package health.meridian.web.fhir.search;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.domain.search.RecordQuery;
import health.meridian.search.params.IndexFields;
import health.meridian.search.params.SearchParamCatalogue.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code _sort=a,-b} over the type's parameters: dates by the start of their range, numbers and quantities by value,
 * strings and tokens by their first (folded) value; default: newest change first.
 */
final class SortOrder {

    private SortOrder() {
    }

    static List<RecordQuery.Sort> parse(String type, List<String> sort) {
        List<RecordQuery.Sort> out = new ArrayList<>();
        for (String s : sort) {
            boolean desc = s.startsWith("-");
            String name = desc ? s.substring(1) : s;
            out.add(key(type, name, desc));
        }
        if (out.isEmpty()) {
            out.add(new RecordQuery.Sort("lastUpdated", true));
        }
        return out;
    }

    private static RecordQuery.Sort key(String type, String name, boolean desc) {
        if ("_lastUpdated".equals(name)) {
            return new RecordQuery.Sort("lastUpdated", desc);
        }
        if ("_id".equals(name)) {
            return new RecordQuery.Sort("id", desc);
        }
        Param p = SearchParameters.require(type, name);
        return switch (p.kind()) {
            case DATE -> new RecordQuery.Sort(IndexFields.DATE + ".lo", desc, IndexFields.DATE, name);
            case NUMBER, QUANTITY -> new RecordQuery.Sort(IndexFields.NUMBER + ".v", desc, IndexFields.NUMBER, name);
            case STRING, TOKEN -> new RecordQuery.Sort(IndexFields.SORT + ".k", desc, IndexFields.SORT, name);
            default -> throw new InvalidRequestException("EHR-0513 cannot sort " + type + " by '" + name
                    + "' (a " + p.kind().name().toLowerCase() + " parameter)");
        };
    }
}
