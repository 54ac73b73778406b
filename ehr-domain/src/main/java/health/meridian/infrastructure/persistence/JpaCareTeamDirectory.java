package health.meridian.infrastructure.persistence;

import static health.meridian.infrastructure.persistence.SqlValues.instant;

import health.meridian.domain.access.CareTeam;
import health.meridian.domain.access.CareTeamDirectory;
import health.meridian.domain.access.CareTeamMembership;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

@ApplicationScoped
public class JpaCareTeamDirectory implements CareTeamDirectory {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    @SuppressWarnings("unchecked")
    public Set<String> personsInCareOf(String practitionerId, Instant now) {
        if (practitionerId == null) {
            return Set.of();
        }
        List<String> persons = em.createNativeQuery("SELECT DISTINCT p.person_id FROM care_team_member m"
                        + " JOIN care_team_patient p ON p.tenant_id = m.tenant_id AND p.team_id = m.team_id"
                        + " WHERE m.practitioner_id = ?1 AND m.period_start <= ?2"
                        + " AND (m.period_end IS NULL OR m.period_end > ?2)")
                .setParameter(1, practitionerId).setParameter(2, Timestamp.from(now)).getResultList();
        return new HashSet<>(persons);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Set<String> inCareOf(String practitionerId, java.util.Collection<String> persons, Instant now) {
        if (practitionerId == null || persons.isEmpty()) {
            return Set.of();
        }
        List<String> found = em.createNativeQuery("SELECT DISTINCT p.person_id FROM care_team_member m"
                        + " JOIN care_team_patient p ON p.tenant_id = m.tenant_id AND p.team_id = m.team_id"
                        + " AND p.person_id = ANY(CAST(?3 AS text[]))"
                        + " WHERE m.practitioner_id = ?1 AND m.period_start <= ?2"
                        + " AND (m.period_end IS NULL OR m.period_end > ?2)")
                .setParameter(1, practitionerId).setParameter(2, Timestamp.from(now))
                .setParameter(3, textArray(persons)).getResultList();
        return new HashSet<>(found);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<CareRow> careRowsOf(String practitionerId) {
        if (practitionerId == null) {
            return List.of();
        }
        List<Object[]> rows = em.createNativeQuery("SELECT p.person_id, m.period_start, m.period_end"
                        + " FROM care_team_member m JOIN care_team_patient p ON p.tenant_id = m.tenant_id"
                        + " AND p.team_id = m.team_id WHERE m.practitioner_id = ?1")
                .setParameter(1, practitionerId).getResultList();
        List<CareRow> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(new CareRow((String) r[0], instant(r[1]), r[2] == null ? null : instant(r[2])));
        }
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<TeamMark> teamsOf(String practitionerId, Instant now) {
        if (practitionerId == null) {
            return List.of();
        }
        List<Object[]> rows = em.createNativeQuery("SELECT DISTINCT m.tenant_id, m.team_id, (SELECT max(p.added_at)"
                        + " FROM care_team_patient p WHERE p.tenant_id = m.tenant_id AND p.team_id = m.team_id)"
                        + " FROM care_team_member m WHERE m.practitioner_id = ?1 AND m.period_start <= ?2"
                        + " AND (m.period_end IS NULL OR m.period_end > ?2) ORDER BY 1, 2")
                .setParameter(1, practitionerId).setParameter(2, Timestamp.from(now)).getResultList();
        List<TeamMark> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new TeamMark((String) r[0], (String) r[1], r[2] == null ? null : instant(r[2])));
        }
        return out;
    }


    /** A PostgreSQL text[] literal of the values (each quoted and escaped). */
    static String textArray(java.util.Collection<String> values) {
        StringBuilder b = new StringBuilder("{");
        for (String v : values) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append('}').toString();
    }

    @Override
    public void enrolRegisteredPatient(String practitionerId, String name, String role, String personId) {
        String team = "reg-" + practitionerId;
        em.createNativeQuery("INSERT INTO care_team (tenant_id, id, name) VALUES (current_setting('app.tenant_id'),"
                + " ?1, ?2) ON CONFLICT DO NOTHING").setParameter(1, team)
                .setParameter(2, "Patients registered by " + (name == null || name.isBlank() ? practitionerId : name.strip()))
                .executeUpdate();
        em.createNativeQuery("INSERT INTO care_team_member (tenant_id, team_id, practitioner_id, member_tenant_id, role,"
                + " period_start) SELECT current_setting('app.tenant_id'), ?1, ?2, current_setting('app.tenant_id'), ?3,"
                + " '2000-01-01T00:00:00Z' ON CONFLICT DO NOTHING")
                .setParameter(1, team).setParameter(2, practitionerId).setParameter(3, role).executeUpdate();
        em.createNativeQuery("INSERT INTO care_team_patient (tenant_id, team_id, person_id) VALUES"
                + " (current_setting('app.tenant_id'), ?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, team).setParameter(2, personId).executeUpdate();
    }

    @Override
    public boolean createTeam(String teamId, String name) {
        return em.createNativeQuery("INSERT INTO care_team (tenant_id, id, name)"
                        + " VALUES (current_setting('app.tenant_id'), ?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, teamId).setParameter(2, name).executeUpdate() == 1;
    }

    @Override
    public boolean exists(String teamId) {
        return !em.createNativeQuery("SELECT 1 FROM care_team WHERE id = ?1").setParameter(1, teamId)
                .getResultList().isEmpty();
    }

    @Override
    public void addMember(String teamId, CareTeamMembership m) {
        em.createNativeQuery("INSERT INTO care_team_member (tenant_id, team_id, practitioner_id, member_tenant_id,"
                        + " role, period_start, period_end) VALUES (current_setting('app.tenant_id'), ?1, ?2, ?3, ?4,"
                        + " ?5, ?6)")
                .setParameter(1, teamId).setParameter(2, m.practitionerId())
                .setParameter(3, m.memberInstitution().value()).setParameter(4, m.role())
                .setParameter(5, Timestamp.from(m.start()))
                .setParameter(6, m.end() == null ? null : Timestamp.from(m.end()))
                .executeUpdate();
    }

    @Override
    public void addPatient(String teamId, String personId) {
        em.createNativeQuery("INSERT INTO care_team_patient (tenant_id, team_id, person_id)"
                        + " VALUES (current_setting('app.tenant_id'), ?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, teamId).setParameter(2, personId).executeUpdate();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> teams() {
        return em.createNativeQuery("SELECT id FROM care_team ORDER BY id").getResultList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<CareTeam> teamsWithMembers(Instant now) {
        Map<String, List<CareTeamMembership>> members = new HashMap<>();
        for (Object[] r : (List<Object[]>) em.createNativeQuery("SELECT team_id, practitioner_id, member_tenant_id,"
                        + " role, period_start, period_end FROM care_team_member"
                        + " WHERE period_end IS NULL OR period_end > ?1 ORDER BY team_id, practitioner_id, period_start")
                .setParameter(1, Timestamp.from(now)).getResultList()) {
            members.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add(new CareTeamMembership((String) r[1],
                    TenantId.of((String) r[2]), (String) r[3], ((Timestamp) r[4]).toInstant(),
                    r[5] == null ? null : ((Timestamp) r[5]).toInstant()));
        }
        Map<String, List<CareTeam.Patient>> patients = new HashMap<>();
        for (Object[] r : (List<Object[]>) em.createNativeQuery("SELECT p.team_id, p.person_id, (SELECT 'Patient/'"
                + " || h.resource_id FROM resource_head h WHERE h.tenant_id = p.tenant_id AND h.resource_type = 'Patient'"
                + " AND h.person_id = p.person_id AND NOT h.deleted ORDER BY h.resource_id LIMIT 1) FROM care_team_patient p"
                + " ORDER BY p.team_id, p.added_at").getResultList()) {
            patients.computeIfAbsent((String) r[0], k -> new ArrayList<>())
                    .add(new CareTeam.Patient((String) r[1], (String) r[2]));
        }
        List<CareTeam> teams = new ArrayList<>();
        for (Object[] r : (List<Object[]>) em.createNativeQuery("SELECT id, name FROM care_team ORDER BY name, id")
                .getResultList()) {
            String id = (String) r[0];
            teams.add(new CareTeam(id, (String) r[1], members.getOrDefault(id, List.of()),
                    patients.getOrDefault(id, List.of())));
        }
        return teams;
    }

    @Override
    public int endMembership(String teamId, String practitionerId, Instant now) {
        Timestamp at = Timestamp.from(now);
        int dropped = em.createNativeQuery("DELETE FROM care_team_member WHERE team_id = ?1 AND practitioner_id = ?2"
                        + " AND period_start >= ?3")
                .setParameter(1, teamId).setParameter(2, practitionerId).setParameter(3, at).executeUpdate();
        int ended = em.createNativeQuery("UPDATE care_team_member SET period_end = ?3 WHERE team_id = ?1"
                        + " AND practitioner_id = ?2 AND period_start < ?3 AND (period_end IS NULL OR period_end > ?3)")
                .setParameter(1, teamId).setParameter(2, practitionerId).setParameter(3, at).executeUpdate();
        return dropped + ended;
    }

    @Override
    public boolean removePatient(String teamId, String personId) {
        return em.createNativeQuery("DELETE FROM care_team_patient WHERE team_id = ?1 AND person_id = ?2")
                .setParameter(1, teamId).setParameter(2, personId).executeUpdate() > 0;
    }
}
