package health.meridian.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.migrations.AuditChainVerifier.ChainRow;
import health.meridian.migrations.AuditChainVerifier.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainVerifierTest {

    private static List<ChainRow> chain(int n) {
        List<ChainRow> rows = new ArrayList<>();
        String prev = AuditChainVerifier.GENESIS;
        for (int seq = 1; seq <= n; seq++) {
            List<String> fields = fields(seq, "dr.jansen");
            String hash = AuditChainVerifier.hash(prev, fields);
            rows.add(new ChainRow(seq, fields, prev, hash));
            prev = hash;
        }
        return rows;
    }

    private static List<String> fields(long seq, String user) {
        List<String> f = new ArrayList<>(List.of(Long.toString(seq), "1767225600000000", "nl-amstel", "nl-amstel",
                "sub", user, "clinician", "person-anna", "Patient/p1", "R", "read", "Patient", "p1"));
        f.add(null);
        f.addAll(List.of("0", "TREAT"));
        f.add(null);
        return f;
    }

    private static Verdict verify(List<ChainRow> rows) {
        ChainRow last = rows.get(rows.size() - 1);
        return AuditChainVerifier.verify(rows, last.seq(), last.hash());
    }

    @Test
    void intactChainVerifies() {
        Verdict v = verify(chain(5));
        assertThat(v.intact()).isTrue();
        assertThat(v.rows()).isEqualTo(5);
    }

    @Test
    void alteredRowIsReportedAtItsSeq() {
        List<ChainRow> rows = chain(5);
        ChainRow third = rows.get(2);
        rows.set(2, new ChainRow(3, fields(3, "someone.else"), third.prevHash(), third.hash()));
        Verdict v = verify(rows);
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenAt()).isEqualTo(3L);
        assertThat(v.toString()).startsWith("EHR-0702").contains("altered");
    }

    @Test
    void missingRowIsReportedWhereTheGapIs() {
        List<ChainRow> rows = chain(5);
        rows.remove(1);
        Verdict v = verify(rows);
        assertThat(v.brokenAt()).isEqualTo(2L);
        assertThat(v.problem()).contains("missing or reordered");
    }

    @Test
    void reorderedRowsAreReported() {
        List<ChainRow> rows = chain(5);
        ChainRow r4 = rows.get(3);
        rows.set(3, rows.get(4));
        rows.set(4, r4);
        assertThat(verify(rows).brokenAt()).isEqualTo(4L);
    }

    @Test
    void rehashedButRenumberedRowIsCaughtByTheNextLink() {
        List<ChainRow> rows = chain(4);
        ChainRow second = rows.get(1);
        List<String> forged = fields(2, "forger");
        rows.set(1, new ChainRow(2, forged, second.prevHash(), AuditChainVerifier.hash(second.prevHash(), forged)));
        assertThat(verify(rows).brokenAt()).isEqualTo(3L);
    }

    @Test
    void removedTailIsReportedAgainstTheHead() {
        List<ChainRow> rows = chain(5);
        ChainRow head = rows.get(4);
        Verdict v = AuditChainVerifier.verify(rows.subList(0, 3), head.seq(), head.hash());
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenAt()).isEqualTo(4L);
    }

    @Test
    void canonicalFormIsLengthPrefixedSoSeparatorsCannotBeSmuggled() {
        assertThat(AuditChainVerifier.canonical(java.util.Arrays.asList("a|b", null, "ü")))
                .isEqualTo("3:a|b|-|1:ü");
    }
}
