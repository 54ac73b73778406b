package health.meridian.domain.audit;

/**
 * The audit trail verified: the legacy hash chain (up to the V15 cut-over, {@code headSeq}) and the sealed ledger
 * after it. Intact, or the first broken seq and what is wrong there ({@code rowsChecked} rows before it were intact);
 * {@code note} says what the ledger check found besides (batches checked, alarms about unsealed entries).
 */
public record ChainVerdict(boolean intact, long rowsChecked, Long brokenAt, String problem, long headSeq,
                           String note) {

    public ChainVerdict(boolean intact, long rowsChecked, Long brokenAt, String problem, long headSeq) {
        this(intact, rowsChecked, brokenAt, problem, headSeq, null);
    }

    @Override
    public String toString() {
        String n = note == null ? "" : "; " + note;
        return intact ? "audit trail intact: " + rowsChecked + " row(s)" + n
                : "EHR-0702 audit trail broken at seq " + brokenAt + ": " + problem + n;
    }
}
