"""Shared helpers of the benchmark scripts: a Keycloak token for a demo user, timed GETs, percentiles."""
import http.client, json, os, statistics, threading, time, urllib.error, urllib.parse, urllib.request

KC = "http://127.0.0.1:%s/realms/meridian/protocol/openid-connect/token" % os.environ.get("MERIDIAN_KC_PORT", "8180")
APP = "http://127.0.0.1:%s/" % os.environ.get("MERIDIAN_APP_PORT", "8080")


def token(user, password="meridian", client="meridian-cli"):
    data = urllib.parse.urlencode({"grant_type": "password", "client_id": client, "username": user,
                                   "password": password}).encode()
    return json.load(urllib.request.urlopen(KC, data))["access_token"]


def get(url, tok=None, accept="application/fhir+json, application/json"):
    """GET `url` (absolute, or relative to the app); (status, milliseconds, body). A new connection per call."""
    headers = {"Accept": accept}
    if tok:
        headers["Authorization"] = "Bearer " + tok
    req = urllib.request.Request(url if url.startswith("http") else APP + url, headers=headers)
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req) as r:
            body = r.read(); status = r.status
    except urllib.error.HTTPError as e:
        body = e.read(); status = e.code
    return status, (time.perf_counter() - t) * 1000, body


class Client:
    """One kept-alive HTTP/1.1 connection (one per load thread), as a browser or an integration engine keeps one."""

    def __init__(self, base, tok=None):
        u = urllib.parse.urlsplit(base)
        self.host, self.port, self.prefix = u.hostname, u.port, u.path.rstrip("/") + "/"
        self.headers = {"Accept": "application/fhir+json"}
        if tok:
            self.headers["Authorization"] = "Bearer " + tok
        self.conn = None

    def get(self, path):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            t = time.perf_counter()
            try:
                self.conn.request("GET", self.prefix + path, headers=self.headers)
                r = self.conn.getresponse()
                body = r.read()
                return r.status, (time.perf_counter() - t) * 1000, body
            except (http.client.HTTPException, OSError):
                self.conn.close(); self.conn = None
                if attempt:
                    raise


def quantile(values, p):
    """Nearest-rank quantile of `values` (0 <= p <= 1)."""
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(p * len(v) + 0.5)) - 1))]


# The mixed read/search workload of the saturation benchmarks (audited_reads_bench, multi_node_reads_bench): each
# request is one of read Patient, read Observation, Patient?name=, Observation?patient=&code=,
# Patient?birthdate=&gender=, over the sampled patients in turn.
def path(sample, i, n):
    q = urllib.parse.quote
    return [f"Patient/{sample['patient']}", f"Observation/{sample['observation']}",
            f"Patient?name={q(sample['family'])}",
            f"Observation?patient={sample['patient']}&code={q(sample['code'])}",
            f"Patient?birthdate={sample['birthDate']}&gender={sample['gender']}"][(i // n) % 5]


def run(base, tok, picks, users, seconds):
    lat, errors, stop = [], [0], time.perf_counter() + seconds
    lock = threading.Lock()

    def user(u):
        c = Client(base, tok)
        i = u
        mine, bad = [], 0
        while time.perf_counter() < stop:
            s, ms, _ = c.get(path(picks[i % len(picks)], i, len(picks)))
            if s == 200:
                mine.append(ms)
            else:
                bad += 1
            i += users
        with lock:
            lat.extend(mine); errors[0] += bad

    t0 = time.perf_counter()
    threads = [threading.Thread(target=user, args=(u,)) for u in range(users)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    took = time.perf_counter() - t0
    return {"rps": len(lat) / took, "p50": statistics.median(lat), "p95": quantile(lat, .95), "n": len(lat),
            "errors": errors[0]}
