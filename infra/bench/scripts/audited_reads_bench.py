"""Audited FHIR reads/s at saturation beside a plain HAPI FHIR JPA server (issue #21).

Both servers hold the same Synthea patients. `users` threads, each with its own kept-alive connection, send a mixed
read/search workload for `seconds`, one server at a time, the servers taking turns for `rounds` rounds (so drift in
the machine's load hits both alike); each request is one of: read Patient/{id}, read Observation/{id},
Patient?name=, Observation?patient=&code=, Patient?birthdate=&gender=, over the sampled patients in turn.
Meridian is called as dr.jansen with a bearer token (authentication, access policy, consent, audit on every
request); HAPI with its defaults (no authentication, no audit). Usage, with both servers up and loaded:
    python3 infra/bench/scripts/audited_reads_bench.py [--users 16] [--seconds 20] [--rounds 3] [--patients 8]
        [--meridian http://127.0.0.1:8080/fhir] [--hapi http://127.0.0.1:8090/fhir]
The patients are the ones HAPI holds with a Synthea identifier that Meridian holds too (as dr.jansen sees them).
"""
import argparse, json, os, statistics, sys, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Client, run, token  # noqa: E402

SYNTHEA = "https://github.com/synthetichealth/synthea"


def samples(client_m, client_h, count):
    s, _, body = client_h.get("Patient?identifier=" + urllib.parse.quote(SYNTHEA + "|") + "&_count=100")
    assert s == 200, (s, body[:300])
    out = []
    for e in json.loads(body).get("entry", []):
        ids = [i["value"] for i in e["resource"].get("identifier", []) if i.get("system") == SYNTHEA]
        if not ids:
            continue
        pair = {}
        for name, c in (("meridian", client_m), ("hapi", client_h)):
            s, _, b = c.get("Patient?identifier=" + urllib.parse.quote(SYNTHEA + "|" + ids[0]))
            found = json.loads(b).get("entry", []) if s == 200 else []
            if not found:
                break
            p = found[0]["resource"]
            s, _, b = c.get(f"Observation?patient={p['id']}&_count=1&_sort=-date")
            obs = json.loads(b).get("entry", []) if s == 200 else []
            if not obs:
                break
            o = obs[0]["resource"]
            coding = o["code"]["coding"][0]
            pair[name] = {"patient": p["id"], "family": p["name"][0]["family"], "birthDate": p["birthDate"],
                          "gender": p["gender"], "observation": o["id"],
                          "code": coding.get("system", "") + "|" + coding["code"]}
        if len(pair) == 2:
            out.append(pair)
        if len(out) == count:
            break
    assert out, "no patient held by both servers"
    return out


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--users", type=int, default=16)
    a.add_argument("--seconds", type=float, default=20)
    a.add_argument("--rounds", type=int, default=3)
    a.add_argument("--patients", type=int, default=8)
    a.add_argument("--meridian", default="http://127.0.0.1:8080/fhir")
    a.add_argument("--hapi", default="http://127.0.0.1:8090/fhir")
    o = a.parse_args()
    tok = token("dr.jansen")
    pairs = samples(Client(o.meridian, tok), Client(o.hapi), o.patients)
    picks = {"meridian": [p["meridian"] for p in pairs], "hapi": [p["hapi"] for p in pairs]}
    print(f"{len(pairs)} patients held by both; {o.users} users, {o.seconds:.0f} s per turn, {o.rounds} rounds",
          flush=True)
    results = {"meridian": [], "hapi": []}
    for rnd in range(o.rounds + 1):  # round 0 warms both up and is not counted
        for name, base in (("meridian", o.meridian), ("hapi", o.hapi)):
            tok = token("dr.jansen") if name == "meridian" else None
            r = run(base, tok, picks[name], o.users, o.seconds if rnd else min(o.seconds, 10))
            load = os.getloadavg()[0]
            print(f"round {rnd} {name:8s} {r['rps']:7.1f} req/s  p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms"
                  f"  n={r['n']} errors={r['errors']}  load {load:.1f}", flush=True)
            if rnd:
                results[name].append(r)
    ratios = [m["rps"] / h["rps"] for m, h in zip(results["meridian"], results["hapi"])]
    for name, rs in results.items():
        print(f"{name:8s} median {statistics.median(r['rps'] for r in rs):7.1f} req/s, p50 "
              f"{statistics.median(r['p50'] for r in rs):.1f} ms, p95 {statistics.median(r['p95'] for r in rs):.1f} ms")
    print("ratio meridian/hapi req/s per round: " + ", ".join(f"{x:.2f}" for x in ratios)
          + f"; median {statistics.median(ratios):.2f}")


main()
