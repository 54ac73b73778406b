"""CPU seconds each process of a benchmark used while a command ran (issue #21).

    python3 infra/bench/scripts/process_cpu.py STATE_DIR COMMAND...
e.g. python3 infra/bench/scripts/process_cpu.py .meridian python3 infra/bench/scripts/audited_reads_bench.py
Reads /proc/<pid>/stat before and after COMMAND and prints, per kind, the CPU seconds used: the stack's app (Payara),
Elasticsearch and PostgreSQL (postmaster, its finished children and its live backends) — processes whose command line,
or whose postmaster's, names STATE_DIR — HAPI's JVM and its PostgreSQL (`hapi` in the path), Keycloak, anything else
on the box ("foreign"), and COMMAND's own CPU (the load driver). Divide by the requests the command reports.
"""
import os, resource, subprocess, sys, time

HZ = os.sysconf("SC_CLK_TCK")


def kind(cmd, parent_cmd, state):
    mine = state in cmd or (cmd.startswith("postgres:") and state in parent_cmd)
    if not mine:
        return "foreign"
    if "/hapi/" in cmd or "/hapi/" in parent_cmd:
        return "hapi-pg" if "postgres" in cmd else "hapi"
    if "payara-micro" in cmd:
        return "app"
    if "org.elasticsearch" in cmd:
        return "es"
    if "keycloak" in cmd.lower():
        return "kc"
    if "postgres" in cmd:
        return "pg"
    return "other"


def snapshot(state):
    out = {}
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == os.getpid():
            continue
        try:
            cmd = open(f"/proc/{p}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
            st = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            parent = open(f"/proc/{st[1]}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        ticks = int(st[11]) + int(st[12])
        if "postgres" in cmd and "-D" in cmd:
            ticks += int(st[13]) + int(st[14])  # a postmaster: its finished backends too
        k = kind(cmd, parent, state)
        out[k] = out.get(k, 0) + ticks
    return out


def main():
    state = os.path.abspath(sys.argv[1])
    before, t = snapshot(state), time.time()
    subprocess.call(sys.argv[2:])
    after, wall = snapshot(state), time.time() - t
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"wall {wall:.1f} s  driver {ru.ru_utime + ru.ru_stime:.1f} s")
    for k in sorted(set(before) | set(after)):
        d = (after.get(k, 0) - before.get(k, 0)) / HZ
        if d >= 0.05:
            print(f"cpu {k:8s} {d:7.1f} s")


main()
