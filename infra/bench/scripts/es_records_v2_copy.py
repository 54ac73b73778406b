"""Copies the records index (mapping v3, ADR 0037) into an index of the v2 mapping, each document as the release before
v3 wrote it (the derived fields, then the resource's JSON as an object in "resource"), for measuring both request
shapes on the same data side by side (es_source_filter_cost.py).

    python3 infra/bench/scripts/es_records_v2_copy.py ES_URL [SOURCE_INDEX] [TARGET_INDEX]
Defaults: meridian-records (the alias) into meridian-records-v2-bench; the target is replaced if it exists. Both are
force-merged to one segment afterwards, so neither is measured with more segments than the other.
"""
import http.client, json, os, sys, urllib.parse

es = urllib.parse.urlsplit(sys.argv[1])
source = sys.argv[2] if len(sys.argv) > 2 else "meridian-records"
target = sys.argv[3] if len(sys.argv) > 3 else "meridian-records-v2-bench"
mapping = os.path.join(os.path.dirname(__file__), "../../../ehr-search/src/main/resources/search/mappings/records-v2.json")
conn = http.client.HTTPConnection(es.hostname, es.port, timeout=600)


def call(method, path, body=None, ndjson=False):
    headers = {"Content-Type": "application/x-ndjson" if ndjson else "application/json"}
    conn.request(method, path, body if isinstance(body, (str, bytes)) or body is None else json.dumps(body), headers)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300 and not (method == "DELETE" and r.status == 404):
        raise SystemExit(f"{method} {path}: {r.status} {data[:500]!r}")
    return json.loads(data) if data else None


call("DELETE", f"/{target}")
call("PUT", f"/{target}", open(mapping).read())
after, copied = None, 0
while True:
    body = {"size": 1000, "sort": [{"doc_key": "asc"}], "_source": True, "stored_fields": ["resource_json"]}
    if after:
        body["search_after"] = after
    hits = call("POST", f"/{source}/_search", body)["hits"]["hits"]
    if not hits:
        break
    lines = []
    for h in hits:
        # the raw resource text as the v2 document carried it (json.dumps of the fields, then the resource as is)
        fields = json.dumps(h["_source"], ensure_ascii=False)
        doc = fields[:-1] + ', "resource": ' + h["fields"]["resource_json"][0] + "}"
        lines.append(json.dumps({"index": {"_index": target, "_id": h["_id"], "version": h["_source"]["version"],
                                           "version_type": "external"}}))
        lines.append(doc)
    result = call("POST", "/_bulk", ("\n".join(lines) + "\n").encode(), ndjson=True)
    if result["errors"]:
        raise SystemExit("bulk errors: " + json.dumps([i for i in result["items"] if "error" in i["index"]][:3]))
    copied += len(hits)
    after = hits[-1]["sort"]
call("POST", f"/{target}/_refresh")
for index in (source, target):
    call("POST", f"/{index}/_forcemerge?max_num_segments=1")
print(f"copied {copied} documents from {source} into {target}")
