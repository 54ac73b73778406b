"""Elasticsearch's CPU per search with and without the hits' _source filtering (issue #21).

    python3 infra/bench/scripts/es_source_filter_cost.py STATE_DIR ES_URL INDEX PATIENT_REF [N]
Sends N (default 400) identical searches — the Observations of PATIENT_REF ("Patient/<id>"), 21 hits, newest first,
total counted, as the app sends them — with the app's _source excludes, with no filtering, with a few small fields
only, and without _source, and prints Elasticsearch's CPU (from /proc, the process whose command line names STATE_DIR)
per search for each.
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
for name, source in [("excludes (the app's)", {"excludes": excluded}), ("no filtering", None),
                     ("small fields only", {"includes": ["tenant", "type", "id", "version"]}), ("no _source", False)]:
    body = {"query": {"bool": {"filter": [{"term": {"type": "Observation"}}, {"term": {"patient": patient}}]}},
            "size": 21, "track_total_hits": True, "sort": [{"lastUpdated": "desc"}]}
    if source is not None:
        body["_source"] = source
    b = json.dumps(body)
    for i in range(n // 4 + 50):  # warm-up
        conn.request("POST", f"/{index}/_search", b, {"Content-Type": "application/json"})
        conn.getresponse().read()
    c0, t0 = cpu(pid), time.time()
    for i in range(n):
        conn.request("POST", f"/{index}/_search", b, {"Content-Type": "application/json"})
        r = conn.getresponse().read()
    print(f"{name:22s} Elasticsearch CPU {1000 * (cpu(pid) - c0) / n:.2f} ms/search, "
          f"{1000 * (time.time() - t0) / n:.2f} ms wall, {len(r)} bytes")
