"""Shares of a JFR recording's request-thread samples (Payara's http-thread-pool), issue #21.

    python3 infra/bench/scripts/jfr_shares.py recording.jfr [frame-substring ...]
Each sample is counted once, at the innermost frame of a known library (servlet container, HAPI, Weld, ...);
then, for each substring given, the share of samples with such a frame anywhere on the stack; then the top
self frames and the innermost Meridian frames. Needs `jfr` (JDK) on the PATH or in $JAVA_HOME/bin.
"""
import collections, os, re, shutil, subprocess, sys
JFR = shutil.which("jfr") or os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jfr")
f = sys.argv[1]
out = subprocess.run([JFR, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "300", f],
                     capture_output=True, text=True).stdout
samples = []
for block in out.split("jdk.ExecutionSample {")[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', block)
    th = m.group(1) if m else "?"
    st = re.search(r'stackTrace = \[(.*?)\n  \]', block, re.S)
    frames = [l.strip() for l in st.group(1).strip().split("\n")] if st else []
    frames = [re.sub(r'\s+line:.*', '', x) for x in frames if x and x != '...']
    samples.append((th, frames))
req = [s for s in samples if 'http-thread-pool' in s[0]]
print(f"samples {len(samples)}, request threads {len(req)}")
cats = [("ours", ("health.meridian.",)),
        ("token", ("fish.payara.microprofile.jwtauth", "com.nimbusds", "org.glassfish.soteria", "fish.payara.security")),
        ("es", ("co.elastic.", "org.elasticsearch.", "org.apache.http.")),
        ("hapi-parse", ("ca.uhn.fhir.parser.", "ca.uhn.fhir.context.")),
        ("hapi", ("ca.uhn.", "org.hl7.")),
        ("eclipselink", ("org.eclipse.persistence.",)),
        ("jdbc", ("org.postgresql.",)),
        ("weld", ("org.jboss.weld.",)),
        ("jta", ("com.sun.enterprise.transaction", "com.sun.jts", "org.glassfish.transaction")),
        ("json", ("com.fasterxml.", "org.glassfish.json", "org.eclipse.parsson", "jakarta.json")),
        ("pool", ("com.sun.enterprise.resource", "com.sun.gjc", "com.sun.enterprise.connectors")),
        ("security-glue", ("com.sun.enterprise.security", "org.glassfish.security", "com.sun.web.security", "org.glassfish.exousia", "fish.payara.jacc", "com.sun.jaspic")),
        ("servlet/grizzly", ("org.apache.catalina", "org.glassfish.grizzly", "com.sun.enterprise.web", "org.apache.coyote", "org.glassfish.web")),
        ("jdk", ("java.", "jdk.", "sun.", "javax.")),
]
def cat_of(frames):
    for fr in frames:
        for name, prefixes in cats:
            if name == "jdk": continue
            if fr.startswith(prefixes):
                return name
    return "jdk/other"
c = collections.Counter(cat_of(fr) for _, fr in req)
n = len(req) or 1
print("innermost known library:")
for k, v in c.most_common():
    print(f"  {k:16s} {v:5d} {100*v/n:5.1f}%")
# inclusive: any frame matches
marks = sys.argv[2:] if len(sys.argv) > 2 else []
for mk in marks:
    k = sum(1 for _, fr in req if any(mk in x for x in fr))
    print(f"incl {mk:60s} {k:5d} {100*k/n:5.1f}%")
# top self frames
top = collections.Counter(fr[0] for _, fr in req if fr)
print("top self frames:")
for k, v in top.most_common(25):
    print(f"  {v:4d} {k[:150]}")
ours = collections.Counter()
for _, fr in req:
    o = next((x for x in fr if x.startswith("health.meridian.")), "<none>")
    ours[o] += 1
print("innermost meridian frame:")
for k, v in ours.most_common(30):
    print(f"  {v:4d} {k[:160]}")
