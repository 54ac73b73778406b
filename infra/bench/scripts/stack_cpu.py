"""CPU seconds of one local stack's app, Elasticsearch and PostgreSQL, from /proc (issue #22).

    python3 infra/bench/scripts/stack_cpu.py STATE_DIR > cpu.log                    # samples every 2 s until killed
    python3 infra/bench/scripts/stack_cpu.py --split cpu.log HH:MM:SS COMMITTED_S SEARCHABLE_S [YYYY-MM-DD]
The first form prints "epoch app=… es=… pg=…" (cumulative CPU seconds; PostgreSQL counts the postmaster, its
finished children and its live backends). The second takes the load's start (UTC, the import's start plus its
flattening time) and the committed and searchable times the import printed, and gives each process's CPU seconds
for the load phase and for the mirror's tail.
"""
import datetime, os, sys, time

HZ = os.sysconf("SC_CLK_TCK")


def sample(state):
    kinds, parents = {}, {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            cmd = open(f"/proc/{p}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
            st = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        own, children = int(st[11]) + int(st[12]), int(st[13]) + int(st[14])
        if state in cmd and "payara-micro" in cmd:
            kinds.setdefault("app", []).append(own)
        elif state in cmd and "org.elasticsearch" in cmd:
            kinds.setdefault("es", []).append(own)
        elif state in cmd and "postgres" in cmd and "-D" in cmd:
            kinds.setdefault("pgmaster", []).append((int(p), own + children))
        elif cmd.startswith("postgres:"):
            parents.setdefault(int(st[1]), []).append(own)
    pg = sum(c for _, c in kinds.get("pgmaster", [])) + sum(
        sum(parents.get(pid, [])) for pid, _ in kinds.get("pgmaster", []))
    return sum(kinds.get("app", [])) / HZ, sum(kinds.get("es", [])) / HZ, pg / HZ


def split(log, start, committed, searchable, day):
    rows = []
    for line in open(log):
        parts = line.split()
        if parts:
            rows.append((float(parts[0]), {k: float(v) for k, v in (x.split("=") for x in parts[1:])}))
    t0 = datetime.datetime.strptime(day + " " + start, "%Y-%m-%d %H:%M:%S").replace(
        tzinfo=datetime.timezone.utc).timestamp()
    at = lambda t: min(rows, key=lambda r: abs(r[0] - t))[1]
    a, b, e = at(t0), at(t0 + committed), at(t0 + searchable)
    for k in ("app", "es", "pg"):
        print(f"{k}: load phase {b[k] - a[k]:.1f} s CPU, mirror tail {e[k] - b[k]:.1f} s CPU, total {e[k] - a[k]:.1f}")
    print(f"all: {sum(e[k] - a[k] for k in ('app', 'es', 'pg')):.1f} s CPU")


if __name__ == "__main__":
    if sys.argv[1] == "--split":
        split(sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]),
              sys.argv[6] if len(sys.argv) > 6 else datetime.datetime.utcnow().strftime("%Y-%m-%d"))
    else:
        while True:
            app, es, pg = sample(os.path.abspath(sys.argv[1]))
            print(f"{time.time():.1f} app={app:.1f} es={es:.1f} pg={pg:.1f}", flush=True)
            time.sleep(2)
