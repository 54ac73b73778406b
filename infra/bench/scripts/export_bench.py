"""Bulk $export throughput (issue #23, ADR 0026): kick-off -> manifest -> every file downloaded, resources/s.

usage: python3 export_bench.py [user] [kick-off path] [runs]
  defaults: dr.jansen, $export (the system level: every person the clinician may read), 3 runs.
Env: MERIDIAN_APP_PORT (8080), MERIDIAN_KC_PORT (8180). Prints one line per run and the median.
"""
import json, os, statistics, sys, time, urllib.error, urllib.parse, urllib.request

KC = "http://127.0.0.1:%s/realms/meridian/protocol/openid-connect/token" % os.environ.get("MERIDIAN_KC_PORT", "8180")
APP = "http://127.0.0.1:%s/fhir/" % os.environ.get("MERIDIAN_APP_PORT", "8080")


def token(user):
    data = urllib.parse.urlencode({"grant_type": "password", "client_id": "meridian-cli", "username": user,
                                   "password": "meridian"}).encode()
    return json.load(urllib.request.urlopen(KC, data))["access_token"]


def call(url, tok, prefer=None):
    headers = {"Authorization": "Bearer " + tok, "Accept": "application/fhir+json"}
    if prefer:
        headers["Prefer"] = prefer
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def run(user, path):
    tok = token(user)
    start = time.perf_counter()
    status, headers, body = call(APP + path, tok, "respond-async")
    assert status == 202, (status, body[:300])
    poll = headers["Content-Location"]
    while True:
        status, headers, body = call(poll, tok)
        if status == 200:
            break
        assert status == 202, (status, body[:300])
        time.sleep(0.2)
    exported = time.perf_counter() - start
    manifest = json.loads(body)
    lines = 0
    size = 0
    for out in manifest["output"]:
        status, _, data = call(out["url"], tok)
        assert status == 200
        n = sum(1 for l in data.splitlines() if l.strip())
        assert n == out["count"], (out, n)
        lines += n
        size += len(data)
    total = time.perf_counter() - start
    call_delete(poll, tok)
    return lines, size, exported, total


def call_delete(url, tok):
    req = urllib.request.Request(url, method="DELETE", headers={"Authorization": "Bearer " + tok})
    try:
        urllib.request.urlopen(req).read()
    except urllib.error.HTTPError:
        pass


if __name__ == "__main__":
    user = sys.argv[1] if len(sys.argv) > 1 else "dr.jansen"
    path = sys.argv[2] if len(sys.argv) > 2 else "$export"
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    rates = []
    for i in range(runs):
        lines, size, exported, total = run(user, path)
        rates.append(lines / total)
        print("run %d: %d resources, %.1f MB, job done in %.2f s, downloaded by %.2f s: %.0f resources/s"
              % (i + 1, lines, size / 1e6, exported, total, lines / total))
    print("median: %.0f resources/s (kick-off to last byte downloaded)" % statistics.median(rates))
