"""Interactive latency while a bulk import's background validation runs, against the same app idle (issue #22).

    python3 infra/bench/scripts/validation_latency_probe.py --jobs DIR [--seconds 10] [--idle-windows 3]
With `./meridian import <dir>` started (it keeps each job's poll URL in $MERIDIAN_STATE/import-dir/<run>/job.url;
DIR is that import-dir), this script times, as dr.jansen, the same three requests a clinician's chart makes —
read Anna's Patient, `Observation?patient=` for her (20 per page), the first page of her timeline — one after the
other, in windows of `--seconds`. Each window is labelled by the jobs' state at its start and end (read from the job
manifests as the importing tenant's admin): "validating" if every job was past loading, at least one validation
was in progress at both ends and the count of validated resources grew meanwhile (a validation that waits for the
mirror does not count), "idle" if all were complete at both ends; other windows are dropped.
It runs until it has timed at least one validating window and `--idle-windows` idle ones, then prints p50/p95 per
request and state, and their ratio. One client, one request at a time: latency, not throughput.
"""
import argparse, glob, json, os, statistics, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import get, quantile, token  # noqa: E402

ADMINS = {"nl-amstel": "admin.amstel", "de-spree": "admin.spree"}
EXT = "https://meridian.health/fhir/StructureDefinition/import-validation"


def job_state(jobs, tokens):
    """('loading' | 'validating' | 'complete' over all jobs, resources validated so far)."""
    states, validated = [], 0
    for tenant, url in jobs:
        status, _, body = get(url, tokens[tenant])
        if status == 202:
            states.append("loading")
            continue
        assert status == 200, (status, body[:300])
        v = json.loads(body)["extension"][EXT]
        validated += v["validated"]
        states.append("complete" if v["status"] == "complete" else "validating")
    if "loading" in states:
        return "loading", validated
    return ("validating" if "validating" in states else "complete"), validated


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--jobs", required=True, help="the import-dir holding <run>/job.url files")
    a.add_argument("--seconds", type=float, default=10)
    a.add_argument("--idle-windows", type=int, default=3)
    args = a.parse_args()
    jobs = []
    for f in sorted(glob.glob(os.path.join(args.jobs, "*", "job.url"))):
        tenant = next((t for t in ADMINS if f.rstrip("/").split(os.sep)[-2].endswith(t)), None)
        if tenant:
            jobs.append((tenant, open(f).read().strip()))
    assert jobs, "no job.url under " + args.jobs
    tokens = {t: token(ADMINS[t]) for t, _ in jobs}
    tok = token("dr.jansen")
    status, _, body = get("fhir/Patient?family=de%20Vries&given=Anna", tok)
    anna = json.loads(body)["entry"][0]["resource"]["id"]
    requests = {"read Patient": f"fhir/Patient/{anna}",
                "Observation?patient=": f"fhir/Observation?patient=Patient/{anna}&_count=20",
                "timeline page": f"api/patients/{anna}/timeline"}
    times = {"validating": {k: [] for k in requests}, "complete": {k: [] for k in requests}}
    windows = {"validating": 0, "complete": 0}
    refreshed = time.time()
    while windows["validating"] < 1 or windows["complete"] < args.idle_windows:
        if time.time() - refreshed > 200:  # access tokens live 5 minutes
            tok, tokens, refreshed = token("dr.jansen"), {t: token(ADMINS[t]) for t, _ in jobs}, time.time()
        before, validated_before = job_state(jobs, tokens)
        window = {k: [] for k in requests}
        end = time.perf_counter() + args.seconds
        while time.perf_counter() < end:
            for name, path in requests.items():
                s, ms, _ = get(path, tok)
                assert s == 200, (name, s)
                window[name].append(ms)
        after, validated_after = job_state(jobs, tokens)
        label = before if before == after and before in times else None
        if label == "validating" and validated_after == validated_before:
            label = None  # the validation waits (the mirror still ships the load's backlog): not what is measured
        print(f"window {time.strftime('%H:%M:%S')}: {before} -> {after}, validated +{validated_after - validated_before}"
              + ("" if label else " (dropped)"), flush=True)
        if label:
            windows[label] += 1
            for k, v in window.items():
                times[label][k].extend(v)
        if before == "complete" and windows["validating"] == 0:
            sys.exit("the validation was over before a window could be timed while it ran")
        time.sleep(0.5)
    print(f"\n| request | while validating p50 / p95 ms (n) | idle p50 / p95 ms (n) | ratio p50 |")
    print("|---|---|---|---|")
    for k in requests:
        v, i = times["validating"][k], times["complete"][k]
        print(f"| {k} | {statistics.median(v):.1f} / {quantile(v, .95):.1f} ({len(v)}) | "
              f"{statistics.median(i):.1f} / {quantile(i, .95):.1f} ({len(i)}) | "
              f"{statistics.median(v) / statistics.median(i):.2f} |")


if __name__ == "__main__":
    main()
