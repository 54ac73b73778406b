"""Refused reads: an id held by another institution vs an id held nowhere (issue #18). Interleaved, same client."""
import json, statistics, sys, time, urllib.request, urllib.parse, uuid

KC = "http://127.0.0.1:8180/realms/meridian/protocol/openid-connect/token"
APP = "http://127.0.0.1:8080/fhir/"

def token(user):
    data = urllib.parse.urlencode({"grant_type": "password", "client_id": "meridian-cli", "username": user,
                                   "password": "meridian"}).encode()
    return json.load(urllib.request.urlopen(KC, data))["access_token"]

def get(path, tok):
    req = urllib.request.Request(APP + path, headers={"Authorization": "Bearer " + tok,
                                                      "Accept": "application/fhir+json"})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req) as r:
            body = r.read(); status = r.status
    except urllib.error.HTTPError as e:
        body = e.read(); status = e.code
    return status, (time.perf_counter() - t) * 1000, body

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
def q(v, p):
    return sorted(v)[int(p * (len(v) - 1))]
for name, v in (("held elsewhere", elsewhere), ("held nowhere", nowhere)):
    print(f"{name:15s} n={len(v)} p50={statistics.median(v):.2f} ms p90={q(v, .9):.2f} ms mean={statistics.mean(v):.2f} ms")
print(f"ratio p50 elsewhere/nowhere = {statistics.median(elsewhere) / statistics.median(nowhere):.3f}")
