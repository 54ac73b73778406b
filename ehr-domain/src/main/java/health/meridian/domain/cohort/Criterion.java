package health.meridian.domain.cohort;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One criterion: persons with a record of {@code type} having one of {@code codes}, effective in {@code window}
 * (and for observations, a value satisfying {@code value}); or, for demographics, persons whose patient record
 * satisfies {@code demographics}.
 */
public record Criterion(CriterionType type, List<Code> codes, TimeWindow window, ValueFilter value,
                        Demographics demographics) implements CohortNode {

    public static final int MAX_CODES = 1000;

    public Criterion {
        if (type == null) {
            throw new InvalidCohortException("EHR-0806 a criterion needs a type");
        }
        codes = codes == null ? List.of() : List.copyOf(codes);
        window = window == null ? TimeWindow.ANY : window;
        if (type == CriterionType.DEMOGRAPHICS) {
            if (demographics == null) {
                throw new InvalidCohortException("EHR-0816 a demographics criterion states at least one condition");
            }
            if (!codes.isEmpty() || value != null || !window.equals(TimeWindow.ANY)) {
                throw new InvalidCohortException("EHR-0817 demographics take no codes, value or time window");
            }
        } else {
            if (demographics != null) {
                throw new InvalidCohortException("EHR-0817 only a demographics criterion takes demographic fields");
            }
            if (type.requiresCodes() && codes.isEmpty()) {
                throw new InvalidCohortException("EHR-0807 a " + type.name().toLowerCase()
                        + " criterion needs a non-empty list of codes (system|code)");
            }
            if (value != null && type != CriterionType.OBSERVATION) {
                throw new InvalidCohortException("EHR-0818 only observations take a value comparison");
            }
        }
        if (codes.size() > MAX_CODES) {
            throw new InvalidCohortException("EHR-0807 at most " + MAX_CODES + " codes per criterion");
        }
    }

    public List<String> codeTokens() {
        return codes.stream().map(Code::token).toList();
    }

    @Override
    public List<String> leaves() {
        String codesText = codes.stream().map(Code::token).sorted().collect(Collectors.joining(","));
        return List.of(type.name().toLowerCase() + "[" + codesText + "]" + window + value + demographics);
    }
}
