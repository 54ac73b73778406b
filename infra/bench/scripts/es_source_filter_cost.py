"""Elasticsearch's CPU per search with and without the hits' _source filtering (issue #21).

    python3 infra/bench/scripts/es_source_filter_cost.py STATE_DIR ES_URL INDEX PATIENT_REF [N] [V3_INDEX [ROUNDS]]
Sends N (default 400) identical searches — the Observations of PATIENT_REF ("Patient/<id>"), 21 hits, newest first,
total counted, as the app sends them — with the app's _source excludes, with no filtering, with a few small fields
only, and without _source, and prints Elasticsearch's CPU (from /proc, the process whose command line names STATE_DIR)
per search for each. With V3_INDEX (an index of the v3 mapping holding the same documents, ADR 0037; see
es_records_v2_copy.py for a v2 copy of a v3 index), INDEX is taken as the v2 one, and the v3 request shapes are
measured too: the app's former excludes or the fields it reads from a hit (what it sends since v3), each with and without the
stored field resource_json, a few small fields plus resource_json, and no _source; the modes take turns, ROUNDS times (default 2).
"""
import http.client, json, os, sys, time, urllib.parse

HZ = os.sysconf("SC_CLK_TCK")
state, es, index, patient = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
n = int(sys.argv[5]) if len(sys.argv) > 5 else 400


def es_pid():
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                c = open(f"/proc/{p}/cmdline", "rb").read().decode(errors="replace")
            except OSError:
                continue
            if "org.elasticsearch" in c and state in c:
                return p
    raise SystemExit("no Elasticsearch of " + state)


def cpu(p):
    st = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
    return (int(st[11]) + int(st[12])) / HZ


pid = es_pid()
u = urllib.parse.urlsplit(es)
conn = http.client.HTTPConnection(u.hostname, u.port)
excluded = ["text", "sp_token*", "sp_string*", "sp_uri", "sp_present", "sp_date", "sp_num", "sp_sort"]
small = {"includes": ["tenant", "type", "id", "version"]}
# the fields the app reads from a hit since v3 (RecordDocument.HIT_FIELDS)
hit_fields = {"includes": ["tenant", "type", "id", "version", "person", "patient", "kind", "title", "detail",
                           "encounter", "status", "effective", "effective_recorded", "refs", "sp_ref"]}
v3 = sys.argv[6] if len(sys.argv) > 6 else None
rounds = int(sys.argv[7]) if len(sys.argv) > 7 else (2 if v3 else 1)
modes = [("excludes (the app's)", index, {"excludes": excluded}, None), ("no filtering", index, None, None),
         ("small fields only", index, small, None), ("no _source", index, False, None)]
if v3:
    modes = [("v2: excludes (main's request)", index, {"excludes": excluded}, None),
             ("v2: excludes, no resource", index, {"excludes": excluded + ["resource"]}, None),
             ("v2: no filtering", index, None, None),
             ("v2: no _source", index, False, None),
             ("v3: hit fields + stored (this)", v3, hit_fields, ["resource_json"]),
             ("v3: hit fields, no resource", v3, hit_fields, None),
             ("v3: excludes + stored", v3, {"excludes": excluded}, ["resource_json"]),
             ("v3: excludes, no resource", v3, {"excludes": excluded}, None),
             ("v3: small + stored", v3, small, ["resource_json"]),
             ("v3: no _source, stored only", v3, False, ["resource_json"]),
             ("v3: no _source", v3, False, None)]


def run(name, idx, source, stored):
    body = {"query": {"bool": {"filter": [{"term": {"type": "Observation"}}, {"term": {"patient": patient}}]}},
            "size": 21, "track_total_hits": True, "sort": [{"lastUpdated": "desc"}]}
    if source is not None:
        body["_source"] = source
    if stored:
        body["stored_fields"] = stored
    b = json.dumps(body)
    for i in range(n // 4 + 50):  # warm-up
        conn.request("POST", f"/{idx}/_search", b, {"Content-Type": "application/json"})
        conn.getresponse().read()
    c0, t0 = cpu(pid), time.time()
    for i in range(n):
        conn.request("POST", f"/{idx}/_search", b, {"Content-Type": "application/json"})
        r = conn.getresponse().read()
    hits = len(json.loads(r)["hits"]["hits"])
    print(f"{name:30s} Elasticsearch CPU {1000 * (cpu(pid) - c0) / n:.2f} ms/search, "
          f"{1000 * (time.time() - t0) / n:.2f} ms wall, {len(r)} bytes, {hits} hits", flush=True)


for round_ in range(rounds):
    if rounds > 1:
        print(f"-- round {round_ + 1}", flush=True)
    for mode in modes:
        run(*mode)
