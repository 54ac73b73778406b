package health.meridian.domain.audit;

/**
 * The audit hash chain recomputed over every row: intact, or the first broken seq and what is wrong there
 * ({@code rowsChecked} rows before it were intact). {@code headSeq} is the last seq the chain head names.
 */
public record ChainVerdict(boolean intact, long rowsChecked, Long brokenAt, String problem, long headSeq) {

    @Override
    public String toString() {
        return intact ? "audit chain intact: " + rowsChecked + " row(s)"
                : "EHR-0702 audit chain broken at seq " + brokenAt + ": " + problem;
    }
}
