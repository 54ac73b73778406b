package health.meridian.web.api;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditEntry;
import health.meridian.domain.audit.AuditFilter;
import health.meridian.domain.audit.AuditOutcome;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.audit.ChainVerdict;
import health.meridian.domain.access.StaffNames;
import health.meridian.domain.record.StoredResource;
import health.meridian.web.security.AuditQueryService;
import health.meridian.web.security.NamedEntries;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The admin console's audit-trail search: {@code GET /api/audit-events?user&patient&action&outcome&from&to&before
 * &count}, newest first, paged backwards by {@code before} (the {@code next} of the previous page). Who sees which
 * entries is {@link AuditQueryService}'s (and row-level security's) business. {@code from}/{@code to} are dates
 * (whole days, UTC, {@code to} included) or instants. {@code POST /api/audit-events/verification} recomputes the
 * whole hash chain (platform admins only) and answers its verdict.
 */
@Path("audit-events")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"patient", "clinician", "nurse", "tenant-admin", "platform-admin", "researcher"})
public class AuditResource {

    private static final int DEFAULT_COUNT = 50;

    @Inject
    AuditQueryService audit;

    /**
     * {@code userName}: who acted, by name (null when they never entered one); {@code patientName}: the patient's
     * name when the reader's institution holds them, else null (the screen shows an opaque label; ADR 0027).
     */
    public record EntryView(long seq, String recorded, String user, String roles, String institution,
                            String custodian, String patient, String action, String interaction, String resource,
                            String outcome, String purpose, String detail, String userName, String patientName) {
        static EntryView of(AuditEntry e, NamedEntries names) {
            AuditRecord r = e.record();
            String resource = r.resourceType() == null ? null
                    : r.resourceType() + (r.resourceId() == null ? "" : "/" + r.resourceId());
            StaffNames.Entry who = names.staff().get(r.actor().subject());
            StoredResource patient = r.patientRef() == null ? null : names.patients().get(r.patientRef());
            return new EntryView(e.seq(), e.recordedAt().toString(),
                    r.actor().username() == null ? r.actor().subject() : r.actor().username(), r.actor().rolesText(),
                    r.actor().tenant(), r.custodian(), r.patientRef(), r.action().name(), r.interaction(), resource,
                    r.outcome().code(), r.purpose(), r.detail(), who == null ? null : who.displayName(),
                    patient == null ? null : TimelineViews.patientView(patient.key().id(), patient.json(),
                            patient.key().tenant().value()).name());
        }

        static List<EntryView> of(NamedEntries names) {
            return names.entries().stream().map(e -> of(e, names)).toList();
        }
    }

    public record Page(List<EntryView> entries, Long next) {
    }

    /** The verdict of a whole-chain verification, with when it ran and how long it took. */
    public record Verification(boolean intact, long rowsChecked, Long brokenAt, String problem, long headSeq,
                               String verifiedAt, long tookMs, String message) {
    }

    /** {@code POST /api/audit-events/verification}: recompute the whole hash chain now (platform admins). */
    @POST
    @Path("verification")
    public Verification verify() {
        long start = System.nanoTime();
        ChainVerdict v = audit.verifyChain();
        return new Verification(v.intact(), v.rowsChecked(), v.brokenAt(), v.problem(), v.headSeq(),
                Instant.now().toString(), (System.nanoTime() - start) / 1_000_000, v.toString());
    }

    @GET
    public Page search(@QueryParam("user") String user, @QueryParam("patient") String patient,
                       @QueryParam("action") String action, @QueryParam("outcome") String outcome,
                       @QueryParam("from") String from, @QueryParam("to") String to,
                       @QueryParam("before") Long before, @QueryParam("count") Integer count) {
        int limit = Math.min(count == null ? DEFAULT_COUNT : Math.max(count, 1), AuditQueryService.maxPage());
        NamedEntries named = audit.search(new AuditFilter(blankToNull(user), null, patientRef(patient),
                action(action), outcome(outcome), null, instant("from", from, false), instant("to", to, true),
                before, limit));
        List<AuditEntry> entries = named.entries();
        Long next = entries.size() == limit ? entries.get(entries.size() - 1).seq() : null;
        return new Page(EntryView.of(named), next);
    }

    private static String patientRef(String patient) {
        String p = blankToNull(patient);
        return p == null ? null : "Patient/" + p.replaceFirst("^Patient/", "");
    }

    private static AuditAction action(String value) {
        String v = blankToNull(value);
        try {
            return v == null ? null : AuditAction.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("EHR-0682 action must be one of C, R, U, D, E: " + value);
        }
    }

    private static AuditOutcome outcome(String value) {
        String v = blankToNull(value);
        try {
            return v == null ? null : AuditOutcome.ofCode(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("EHR-0683 outcome must be one of 0, 4, 8, 12: " + value);
        }
    }

    /** A date is a whole day (UTC): {@code from} its start, {@code to} the start of the next day. */
    private static Instant instant(String field, String value, boolean end) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            if (v.length() == 10) {
                LocalDate day = LocalDate.parse(v);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("EHR-0684 " + field + " must be a date (YYYY-MM-DD) or an instant: "
                    + value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
