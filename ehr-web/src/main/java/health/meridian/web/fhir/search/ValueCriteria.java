package health.meridian.web.fhir.search;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.domain.search.RecordQuery.AnyOf;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.domain.search.RecordQuery.Nested;
import health.meridian.domain.search.RecordQuery.Not;
import health.meridian.domain.search.RecordQuery.Range;
import health.meridian.domain.search.RecordQuery.RangeRelation;
import health.meridian.domain.search.RecordQuery.Relation;
import health.meridian.domain.search.RecordQuery.Term;
import health.meridian.search.params.FhirDates;
import health.meridian.search.params.IndexFields;
import health.meridian.search.params.Ucum;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One value of an ordered parameter (date, number, quantity) as a criterion, with the R4 meaning of its prefix.
 * Both a date parameter and a resource's date are ranges (see {@link FhirDates}); a number's or quantity's value
 * carries its implicit precision ({@code 5.4} is [5.35, 5.45)) and the resource value is a point.
 */
final class ValueCriteria {

    private ValueCriteria() {
    }

    static Criterion date(String param, String raw) {
        SearchPrefix p = SearchPrefix.of(raw);
        FhirDates.Span s = FhirDates.span(p.value()).orElseThrow(() -> new InvalidRequestException(
                "EHR-0507 invalid date '" + raw + "' for " + param + ": use [prefix]YYYY[-MM[-DD[Thh:mm[:ss]"
                        + "[.sss][Z|±hh:mm]]]], prefixes eq ne gt lt ge le sa eb ap"));
        long lo = s.low();
        long hi = s.high();
        Criterion c = switch (p.prefix()) {
            case "eq" -> relation(lo, hi, Relation.WITHIN);
            case "ne" -> new Not(relation(lo, hi, Relation.WITHIN));
            case "gt" -> relation(hi + 1, null, Relation.INTERSECTS);
            case "lt" -> relation(null, lo - 1, Relation.INTERSECTS);
            case "ge" -> new AnyOf(List.of(relation(hi + 1, null, Relation.INTERSECTS),
                    relation(lo, hi, Relation.WITHIN)));
            case "le" -> new AnyOf(List.of(relation(null, lo - 1, Relation.INTERSECTS),
                    relation(lo, hi, Relation.WITHIN)));
            case "sa" -> relation(hi + 1, null, Relation.WITHIN);
            case "eb" -> relation(null, lo - 1, Relation.WITHIN);
            default -> approximately(lo, hi);
        };
        return new Nested(IndexFields.DATE, param, List.of(c));
    }

    private static Criterion relation(Long from, Long to, Relation relation) {
        return new RangeRelation(IndexFields.DATE + ".r", from, to, relation);
    }

    /** ap: overlaps the value widened by 10% of its distance from now (at least its own range). */
    private static Criterion approximately(long lo, long hi) {
        long now = System.currentTimeMillis();
        long gap = Math.abs(now - (lo / 2 + hi / 2)) / 10;
        return relation(lo - gap, hi + gap, Relation.INTERSECTS);
    }

    /** A number, or a quantity {@code [prefix]number[|system|code]} (also {@code number||code}). */
    static Criterion number(String param, String raw, boolean quantity) {
        SearchPrefix p = SearchPrefix.of(raw);
        String[] parts = p.value().split("\\|", -1);
        if (parts.length == 2 || parts.length > 3 || (!quantity && parts.length > 1)) {
            throw invalid(param, raw);
        }
        BigDecimal n = decimal(param, raw, parts[0]);
        String system = parts.length == 3 && !parts[1].isEmpty() ? parts[1] : null;
        String code = parts.length == 3 && !parts[2].isEmpty() ? parts[2] : null;
        Criterion plain = new Nested(IndexFields.NUMBER, param, withUnit(compare(p.prefix(), "v", n), system, code));
        if (code == null || (system != null && !Ucum.SYSTEM.equals(system))) {
            return plain;
        }
        List<Criterion> canonical = canonical(p.prefix(), n, code);
        return canonical.isEmpty() ? plain : new AnyOf(List.of(plain,
                new Nested(IndexFields.NUMBER, param, canonical)));
    }

    private static List<Criterion> withUnit(Criterion value, String system, String code) {
        List<Criterion> all = new ArrayList<>();
        all.add(value);
        if (system != null) {
            all.add(new Term(IndexFields.NUMBER + ".s", system));
        }
        if (code != null) {
            all.add(new AnyOf(List.of(new Term(IndexFields.NUMBER + ".c", code),
                    new Term(IndexFields.NUMBER + ".u", code))));
        }
        return all;
    }

    /** The same comparison in the UCUM canonical unit (the bounds converted), or none if the unit is not UCUM. */
    private static List<Criterion> canonical(String prefix, BigDecimal n, String code) {
        BigDecimal half = half(n);
        var unit = Ucum.canonical(n, code);
        var low = Ucum.canonical(n.subtract(half), code);
        var high = Ucum.canonical(n.add(half), code);
        if (unit.isEmpty() || low.isEmpty() || high.isEmpty()) {
            return List.of();
        }
        Criterion value = compareCanonical(prefix, unit.get().value(), low.get().value(), high.get().value());
        return List.of(new Term(IndexFields.NUMBER + ".cu", unit.get().unit()), value);
    }

    private static Criterion compare(String prefix, String field, BigDecimal n) {
        BigDecimal half = half(n);
        return compareCanonical(prefix, n.doubleValue(), n.subtract(half).doubleValue(), n.add(half).doubleValue(),
                field);
    }

    private static Criterion compareCanonical(String prefix, double v, double lo, double hi) {
        return compareCanonical(prefix, v, lo, hi, "cv");
    }

    private static Criterion compareCanonical(String prefix, double v, double lo, double hi, String field) {
        String f = IndexFields.NUMBER + "." + field;
        double tenth = Math.abs(v) / 10;
        return switch (prefix) {
            case "eq" -> new Range(f, null, lo, hi, null);
            case "ne" -> new Not(new Range(f, null, lo, hi, null));
            case "gt", "sa" -> new Range(f, v, null, null, null);
            case "lt", "eb" -> new Range(f, null, null, v, null);
            case "ge" -> new Range(f, null, v, null, null);
            case "le" -> new Range(f, null, null, null, v);
            default -> new Range(f, null, Math.min(lo, v - tenth), null, Math.max(hi, v + tenth));
        };
    }

    /** Half a unit of the last significant digit: 5.4 → 0.05, 100 → 0.5. */
    private static BigDecimal half(BigDecimal n) {
        return BigDecimal.ONE.movePointLeft(n.scale()).divide(BigDecimal.valueOf(2));
    }

    private static BigDecimal decimal(String param, String raw, String number) {
        try {
            return new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw invalid(param, raw);
        }
    }

    private static InvalidRequestException invalid(String param, String raw) {
        return new InvalidRequestException("EHR-0509 invalid number or quantity '" + raw + "' for " + param
                + ": use [prefix]number or [prefix]number|system|code (number||code), prefixes eq ne gt lt ge le sa eb ap");
    }
}
