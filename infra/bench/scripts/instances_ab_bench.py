"""Side by side: the mixed audited workload against several app instances of one stack, taking turns (issue #21).

Start a second instance with another WAR on the same services, e.g.
    MERIDIAN_APP_NAME=app-b MERIDIAN_APP_PORT=8089 MERIDIAN_WAR=/path/other.war ./meridian app-up
then: python3 infra/bench/scripts/instances_ab_bench.py PORT:PID,PORT:PID USERS SECONDS ROUNDS [WARMUP_SECONDS]
(the PIDs from $MERIDIAN_STATE/run/app.pid, app-b.pid). The first instance is the base. Each turn reports req/s,
latency and the CPU the instance's request-serving threads used per request, read from /proc (JIT, GC and the
background workers left out: the audit sealer runs on whichever instance leads). 4 of the patients dr.jansen sees,
the workload of benchlib.path.
"""
import json, os, statistics, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Client, run, token
ports = [x.split(":")[0] for x in sys.argv[1].split(",")]
pids = {x.split(":")[0]: x.split(":")[1] for x in sys.argv[1].split(",")}
TCK = os.sysconf("SC_CLK_TCK")
SKIP = ("C1 ", "C2 ", "GC ", "G1 ", "meridian-", "concurrent/", "VM ", "payara-executor", "Sweeper", "JFR")
def cpu(pid):
    """CPU seconds of the threads that serve requests: all but JIT, GC, the background workers (sealer, outbox, jobs)."""
    t = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            raw = open(f"/proc/{pid}/task/{task}/stat").read()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1:raw.rindex(")")]
        if comm.startswith(SKIP):
            continue
        f = raw.rsplit(")", 1)[1].split()
        t += int(f[11]) + int(f[12])
    return t / TCK
users = int(sys.argv[2]); secs = float(sys.argv[3]); rounds = int(sys.argv[4]); warm = float(sys.argv[5]) if len(sys.argv) > 5 else 8
tok = token("dr.jansen")
c = Client(f"http://127.0.0.1:{ports[0]}/fhir", tok)
s, _, b = c.get("Patient?_count=50")
picks = []
for e in json.loads(b).get("entry", []):
    p = e["resource"]
    s, _, b2 = c.get(f"Observation?patient={p['id']}&_count=1&_sort=-date")
    obs = json.loads(b2).get("entry", []) if s == 200 else []
    if not obs or "birthDate" not in p: continue
    o = obs[0]["resource"]; cd = o["code"]["coding"][0]
    picks.append({"patient": p["id"], "family": p["name"][0]["family"], "birthDate": p["birthDate"], "gender": p["gender"],
                  "observation": o["id"], "code": cd.get("system", "") + "|" + cd["code"]})
    if len(picks) == 4: break
print(len(picks), "patients; load", os.getloadavg()[0], flush=True)
res = {p: [] for p in ports}
for r in range(rounds + 1):
    for p in ports:
        c0 = cpu(pids[p])
        x = run(f"http://127.0.0.1:{p}/fhir", token("dr.jansen"), picks, users, secs if r else warm)
        x["cpu_ms"] = (cpu(pids[p]) - c0) * 1000 / max(1, x["n"] + x["errors"])
        print(f"round {r} :{p} {x['rps']:.1f} req/s p50 {x['p50']:.1f} p95 {x['p95']:.1f} n={x['n']} err={x['errors']} req-thread CPU {x['cpu_ms']:.2f} ms/req load {os.getloadavg()[0]:.1f}", flush=True)
        if r: res[p].append(x)
base = ports[0]
for p in ports:
    print(f":{p} median {statistics.median(x['rps'] for x in res[p]):.1f} req/s p50 {statistics.median(x['p50'] for x in res[p]):.1f}"
          + f" req-thread CPU {statistics.median(x['cpu_ms'] for x in res[p]):.2f} ms/req"
          + ("" if p == base else "  CPU ratio/base per round " + ", ".join(f"{a['cpu_ms']/b['cpu_ms']:.2f}" for a, b in zip(res[p], res[base]))
             + f" median {statistics.median(a['cpu_ms']/b['cpu_ms'] for a, b in zip(res[p], res[base])):.2f}")
          + ("" if p == base else "  ratio/base per round " + ", ".join(f"{a['rps']/b['rps']:.2f}" for a, b in zip(res[p], res[base]))
             + f" median {statistics.median(a['rps']/b['rps'] for a, b in zip(res[p], res[base])):.2f}"))
