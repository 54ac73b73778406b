package health.meridian.web.cohort;

import health.meridian.domain.cohort.SavedCohort;
import health.meridian.domain.cohort.Suppression;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/** The JSON (and FHIR) shapes of cohort answers; every count passes through {@link Suppression}. */
public final class CohortViews {

    public static final String DEFINITION_EXTENSION = "https://meridian.health/fhir/StructureDefinition/cohort-definition";

    /** A comparison's part hidden with the others (it may be of any size, unlike "&lt;5"). */
    public static final String HIDDEN = "suppressed";

    private CohortViews() {
    }

    public static Map<String, Object> result(CohortRun run, String cohortId) {
        long total = run.count();
        Map<String, Object> out = new LinkedHashMap<>();
        if (cohortId != null) {
            out.put("id", cohortId);
        }
        out.put("count", Suppression.publish(total));
        out.put("breakdowns", Breakdowns.published(run.breakdowns(), total));
        out.put("tookMs", run.tookMs());
        out.put("indexDate", run.definition().indexDate().toString());
        out.put("population", run.consentedOnly() ? "research-consented" : "all");
        return out;
    }

    /**
     * A saved cohort; its last count only for a caller who is not held to aggregates ({@code withLastCount}): it may
     * come from another user's run on another population, and no differencing guard has seen it.
     */
    public static Map<String, Object> saved(SavedCohort c, boolean withLastCount) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("name", c.name());
        out.put("definition", CohortJson.JSON.convertValue(CohortJson.tree(c.definitionJson()), Map.class));
        out.put("createdBy", c.createdBy());
        out.put("createdAt", c.createdAt() == null ? null : c.createdAt().toString());
        out.put("lastCount", c.lastCount() == null || !withLastCount ? null : Suppression.publish(c.lastCount()));
        out.put("lastRunAt", c.lastRunAt() == null ? null : c.lastRunAt().toString());
        return out;
    }

    /**
     * Sizes {a, b, both, onlyA, onlyB}, suppressed jointly: each size as any count, and the three parts all shown or
     * all hidden as {@value #HIDDEN} ({@link Suppression#jointlyHidden}), so that no published figure minus another
     * is a small cell.
     */
    public static Map<String, Object> comparison(String a, String b, long[] n) {
        boolean hidden = Suppression.jointlyHidden(n[2], n[3], n[4]);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("a", a);
        out.put("b", b);
        out.put("countA", Suppression.publish(n[0]));
        out.put("countB", Suppression.publish(n[1]));
        out.put("both", hidden ? HIDDEN : n[2]);
        out.put("onlyA", hidden ? HIDDEN : n[3]);
        out.put("onlyB", hidden ? HIDDEN : n[4]);
        return out;
    }

    public static Map<String, Object> patients(String cohortId, CohortRun run) {
        List<String> refs = patientRefs(run);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", cohortId);
        out.put("count", refs.size());
        out.put("patients", refs);
        return out;
    }

    static List<String> patientRefs(CohortRun run) {
        return run.patientRefs();
    }

    /** A FHIR Group: with members for a tenant admin, otherwise a descriptive group with a suppressed quantity. */
    public static Group group(SavedCohort saved, CohortRun run, boolean members) {
        Group g = new Group();
        g.setId(saved.id());
        g.setType(Group.GroupType.PERSON);
        g.setName(saved.name());
        g.addExtension(DEFINITION_EXTENSION, new StringType(saved.definitionJson()));
        long total = run.count();
        g.setActual(members);
        if (members) {
            patientRefs(run).forEach(ref -> g.addMember().setEntity(new Reference(ref)));
            g.setQuantity((int) total);
        } else if (!Suppression.small(total)) {
            g.setQuantity((int) total);
        }
        return g;
    }
}
