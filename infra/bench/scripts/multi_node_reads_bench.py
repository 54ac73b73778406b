"""Audited FHIR reads/s through haproxy with one app instance behind it vs two (issue #24, docs/benchmarks.md).

The multi-node stack (`./meridian up --nodes 2`) puts haproxy on the app port in front of app-1 and app-2; a second
haproxy in front of app-1 alone (`infra/local/stack.sh lb-up <app-1 port>` with another MERIDIAN_STATE and
MERIDIAN_APP_PORT) gives the one-instance case through the same kind of hop. `users` threads, each with its own
kept-alive connection to the balancer, send the mixed read/search workload of audited_reads_bench.py (read Patient,
read Observation, Patient?name=, Observation?patient=&code=, Patient?birthdate=&gender=) as dr.jansen for
`seconds`, the two set-ups taking turns for `rounds` rounds (round 0 warms up and is not counted). Usage:
    python3 infra/bench/scripts/multi_node_reads_bench.py --one http://127.0.0.1:8394/fhir \
        --two http://127.0.0.1:8391/fhir [--users 16] [--seconds 20] [--rounds 3] [--patients 8]
(MERIDIAN_KC_PORT names Keycloak's port.)
"""
import argparse, json, os, statistics, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Client, run, token  # noqa: E402


def samples(client, count):
    s, _, body = client.get("Patient?_count=50")
    assert s == 200, (s, body[:300])
    out = []
    for e in json.loads(body).get("entry", []):
        p = e["resource"]
        if not p.get("name") or not p.get("birthDate") or not p.get("gender"):
            continue
        s, _, b = client.get(f"Observation?patient={p['id']}&_count=1")
        obs = json.loads(b).get("entry", []) if s == 200 else []
        if not obs:
            continue
        o = obs[0]["resource"]
        coding = o["code"]["coding"][0]
        out.append({"patient": p["id"], "family": p["name"][0]["family"], "birthDate": p["birthDate"],
                    "gender": p["gender"], "observation": o["id"],
                    "code": coding.get("system", "") + "|" + coding["code"]})
        if len(out) == count:
            break
    assert out, "no patient with an observation visible to dr.jansen"
    return out


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--users", type=int, default=16)
    a.add_argument("--seconds", type=float, default=20)
    a.add_argument("--rounds", type=int, default=3)
    a.add_argument("--patients", type=int, default=8)
    a.add_argument("--one", required=True, help="FHIR base through a balancer with one app instance")
    a.add_argument("--two", required=True, help="FHIR base through a balancer with two app instances")
    o = a.parse_args()
    picks = samples(Client(o.two, token("dr.jansen")), o.patients)
    print(f"{len(picks)} patients; {o.users} users, {o.seconds:.0f} s per turn, {o.rounds} rounds; "
          f"{os.cpu_count()} cores", flush=True)
    results = {"one": [], "two": []}
    for rnd in range(o.rounds + 1):
        for name, base in (("one", o.one), ("two", o.two)):
            r = run(base, token("dr.jansen"), picks, o.users, o.seconds if rnd else min(o.seconds, 10))
            load = os.getloadavg()[0]
            print(f"round {rnd} {name} instance(s) {r['rps']:7.1f} req/s  p50 {r['p50']:6.1f} ms  p95 "
                  f"{r['p95']:6.1f} ms  n={r['n']} errors={r['errors']}  load {load:.1f}", flush=True)
            if rnd:
                results[name].append(r)
    for name, rs in results.items():
        print(f"{name} instance(s): median {statistics.median(r['rps'] for r in rs):7.1f} req/s, p50 "
              f"{statistics.median(r['p50'] for r in rs):.1f} ms, p95 {statistics.median(r['p95'] for r in rs):.1f} ms")
    ratios = [t["rps"] / s["rps"] for s, t in zip(results["one"], results["two"])]
    print("ratio two/one req/s per round: " + ", ".join(f"{x:.2f}" for x in ratios)
          + f"; median {statistics.median(ratios):.2f}")


main()
