package health.meridian.web.fhir.search;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.domain.search.RecordQuery;
import java.util.ArrayList;
import java.util.List;

/** _sort=a,-b over the sortable parameters of a type; default: newest change first. */
final class SortOrder {

    private SortOrder() {
    }

    static List<RecordQuery.Sort> parse(String type, List<String> sort) {
        List<RecordQuery.Sort> out = new ArrayList<>();
        for (String s : sort) {
            boolean desc = s.startsWith("-");
            String name = desc ? s.substring(1) : s;
            SearchParameters.Param p = SearchParameters.find(type, name).filter(SearchParameters.Param::sortable)
                    .orElseThrow(() -> new InvalidRequestException("EHR-0513 cannot sort " + type + " by '" + name
                            + "'"));
            out.add(new RecordQuery.Sort(p.field(), desc));
        }
        if (out.isEmpty()) {
            out.add(new RecordQuery.Sort("lastUpdated", true));
        }
        return out;
    }
}
