"""Cost per request against the number of patients in a clinician's care (issues #18/#22, ADR 0020).

dr.jansen (nl-amstel) is given 10, 1,000 and 10,000 persons in care (synthetic persons on care teams 'bench-scale-N'
filled once through the database owner; a round switches only his membership, as a tenant admin would), and for each size the
same requests are timed on a warm app, sizes interleaved in rounds of 10 requests each: a read of Anna's Patient, a search confined to her
(Observation?patient=), her timeline's first page (the chart's JSON API), and a search across persons
(Patient?family=). Usage, on a running `./meridian up` stack:
    python3 infra/bench/scripts/care_scale_bench.py [iterations] [sizes...]
Needs psql (PostgreSQL client) on PATH; reads MERIDIAN_PG_PORT (default 55432).
"""
import json, os, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import get, token  # noqa: E402

PG = os.environ.get("MERIDIAN_PG_PORT", "55432")
TEAM = "bench-scale"


def sql(statement):
    env = dict(os.environ, PGPASSWORD="meridian_owner")
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", PG, "-U", "meridian_owner", "-d", "meridian", "-qtAX",
                          "-v", "ON_ERROR_STOP=1", "-c", "SET app.tenant_id = 'nl-amstel'", "-c", statement],
                         env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def in_care():
    return int(sql("SELECT count(DISTINCT p.person_id) FROM care_team_member m JOIN care_team_patient p"
                   " USING (tenant_id, team_id) WHERE m.practitioner_id = 'prac-nl-jansen'"))


def prepare(sizes):
    """One team per size above the base, filled once: a round switches only dr.jansen's membership (one row), so
    the database is not busy rewriting thousands of rows while the requests are timed."""
    for size in sizes:
        team = f"{TEAM}-{size}"
        sql(f"INSERT INTO care_team (tenant_id, id, name) VALUES ('nl-amstel', '{team}', 'Benchmark: {size} in care')"
            " ON CONFLICT DO NOTHING")
        sql(f"INSERT INTO person (id) SELECT 'bench-scale-' || g FROM generate_series(1, {size}) g"
            " ON CONFLICT DO NOTHING")
        sql(f"INSERT INTO care_team_patient (tenant_id, team_id, person_id) SELECT 'nl-amstel', '{team}',"
            f" 'bench-scale-' || g FROM generate_series(1, {size}) g ON CONFLICT DO NOTHING")
    sql("ANALYZE care_team_patient")


def set_size(target):
    sql(f"DELETE FROM care_team_member WHERE tenant_id = 'nl-amstel' AND team_id LIKE '{TEAM}-%'"
        " AND practitioner_id = 'prac-nl-jansen'")
    base = in_care()
    if target > base:
        sql(f"INSERT INTO care_team_member (tenant_id, team_id, practitioner_id, member_tenant_id, role, period_start)"
            f" VALUES ('nl-amstel', '{TEAM}-{target}', 'prac-nl-jansen', 'nl-amstel', 'clinician', '2000-01-01Z')")
    return in_care()


def cleanup():
    sql(f"DELETE FROM care_team_member WHERE tenant_id = 'nl-amstel' AND team_id LIKE '{TEAM}-%'")
    sql(f"DELETE FROM care_team_patient WHERE tenant_id = 'nl-amstel' AND team_id LIKE '{TEAM}-%'")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    sizes = [int(s) for s in sys.argv[2:]] or [10, 1000, 10000]
    tok = token("dr.jansen")
    status, _, body = get("fhir/Patient?family=de%20Vries&given=Anna", tok)
    anna = json.loads(body)["entry"][0]["resource"]["id"]
    requests = {
        "read Patient": f"fhir/Patient/{anna}",
        "search Observation?patient=": f"fhir/Observation?patient=Patient/{anna}&_count=20",
        "timeline page": f"api/patients/{anna}/timeline",
        "search Patient?family= (across persons)": "fhir/Patient?family=de%20Vries",
    }
    only = os.environ.get("CARE_BENCH_ONLY")  # e.g. "read Patient,timeline page": time a subset only
    if only:
        requests = {k: v for k, v in requests.items() if k in only.split(",")}
    times = {size: {k: [] for k in requests} for size in sizes}
    actual = {}
    rounds = max(1, n // 10)
    prepare([x for x in sizes if x > in_care()])
    try:
        for rnd in range(rounds + 1):  # round 0 warms up; sizes interleaved so drift in load hits all alike
            for size in sizes:
                actual[size] = set_size(size)
                for _ in range(10):
                    for k, path in requests.items():
                        s, t, _ = get(path, tok)
                        assert s == 200, (k, s)
                        if rnd > 0:
                            times[size][k].append(t)
            print(f"round {rnd}/{rounds} load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    finally:
        cleanup()
    results = {}
    for size in sizes:
        results[actual[size]] = {k: statistics.median(v) for k, v in times[size].items()}
        print(f"in care {actual[size]:>6} (n={n // 10 * 10} each): "
              + "  ".join(f"{k} p50 {v:.1f} ms" for k, v in results[actual[size]].items()))
    first = min(results)
    for size, r in sorted(results.items()):
        print(f"ratio {size:>6}/{first}: " + "  ".join(f"{k} {r[k] / results[first][k]:.2f}x" for k in r))


main()
