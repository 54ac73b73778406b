"""The failover drills by hand on `./meridian up --nodes 2` (issue #24; the automated ones: MultiNodeDrillIT).

Four readers search through haproxy as dr.jansen for `--seconds`; after 6 s either Elasticsearch node N is killed
(`infra/local/stack.sh es-node-kill N`, with the stack's MERIDIAN_* environment) or the process `--kill-pid` gets
SIGKILL (an app instance: `cat $MERIDIAN_STATE/run/app-2.pid`). Prints the answers before/after and every non-200.
    python3 infra/bench/scripts/multi_node_failover.py --fhir http://127.0.0.1:8080/fhir --es-node 3
    python3 infra/bench/scripts/multi_node_failover.py --fhir http://127.0.0.1:8080/fhir --kill-pid "$(cat ...)"
"""
import argparse, os, signal, subprocess, sys, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import Client, token  # noqa: E402


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--fhir", default="http://127.0.0.1:8080/fhir")
    a.add_argument("--seconds", type=float, default=20)
    g = a.add_mutually_exclusive_group(required=True)
    g.add_argument("--es-node", type=int)
    g.add_argument("--kill-pid", type=int)
    o = a.parse_args()
    tok = token("dr.jansen")
    stop = time.perf_counter() + o.seconds
    res, lock = [], threading.Lock()

    def reader(u):
        c = Client(o.fhir, tok)
        while time.perf_counter() < stop:
            t = time.perf_counter()
            try:
                s, ms, _ = c.get("Patient?_count=5" if u % 2 else "Observation?_count=5")
            except Exception:
                s, ms = -1, (time.perf_counter() - t) * 1000
            with lock:
                res.append((t, s, ms))

    threads = [threading.Thread(target=reader, args=(u,)) for u in range(4)]
    [t.start() for t in threads]
    time.sleep(6)
    killed = time.perf_counter()
    if o.es_node:
        stack = os.path.join(HERE, "..", "..", "local", "stack.sh")
        print(subprocess.run(["bash", stack, "es-node-kill", str(o.es_node)], capture_output=True, text=True).stdout)
    else:
        os.kill(o.kill_pid, signal.SIGKILL)
    [t.join() for t in threads]
    before = [r for r in res if r[0] < killed]
    after = [r for r in res if r[0] >= killed]
    bad = [r for r in res if r[1] != 200]
    last = max((r[0] - killed for r in bad), default=0)
    print(f"{len(before)} answers before the kill, {len(after)} after; {len(bad)} not 200 "
          f"{sorted(set(r[1] for r in bad))} (the last {last:.1f} s after the kill); slowest after the kill "
          f"{max(r[2] for r in after):.0f} ms, median after {sorted(r[2] for r in after)[len(after) // 2]:.0f} ms, "
          f"median before {sorted(r[2] for r in before)[len(before) // 2]:.0f} ms")


main()
