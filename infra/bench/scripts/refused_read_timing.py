"""Refused reads: an id held by another institution vs an id held nowhere (issue #18). Interleaved, same client."""
import json, os, statistics, sys, uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import get as get_url, quantile, token  # noqa: E402


def get(path, tok):
    return get_url("fhir/" + path, tok, accept="application/fhir+json")


jansen, mueller = token("dr.jansen"), token("dr.mueller")
status, _, body = get("Observation?_count=1", jansen)
held = json.loads(body)["entry"][0]["resource"]["id"]
n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
for _ in range(20):  # warm-up
    get("Observation/" + held, mueller); get("Observation/" + str(uuid.uuid4()), mueller)
elsewhere, nowhere = [], []
for i in range(n):
    s1, t1, _ = get("Observation/" + held, mueller)
    s2, t2, _ = get("Observation/" + str(uuid.uuid4()), mueller)
    assert s1 == 404 and s2 == 404, (s1, s2)
    elsewhere.append(t1); nowhere.append(t2)
for name, v in (("held elsewhere", elsewhere), ("held nowhere", nowhere)):
    print(f"{name:15s} n={len(v)} p50={statistics.median(v):.2f} ms p90={quantile(v, .9):.2f} ms mean={statistics.mean(v):.2f} ms")
print(f"ratio p50 elsewhere/nowhere = {statistics.median(elsewhere) / statistics.median(nowhere):.3f}")
