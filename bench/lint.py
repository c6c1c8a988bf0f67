#!/usr/bin/env python3
"""Times `kc lint` on 100 small files (the issue's target: well under a second): once as one module
of FILES files, once as FILES separate one-file modules linted one after the other (what a script
looping over modules does). Each file holds a schema, lets, a function and a prelude `Cluster`; a
quarter are clean, the others have one warning each. `kc check` on the same input is timed beside it,
so the difference is what the lint rules cost. Prints the best of --repeat runs and the peak RSS.

  bench/lint.py [--kc build/default/cli/kc] [--files 100] [--repeat 5]
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Judge Kubernetes support on a fixed date, so the findings do not change as releases age.
CONFIG = """rules:
  kubernetes-version-eol:
    as_of: 2024-06-01
"""


def cluster_file(i, imports):
    """One small file; i % 4 picks its finding: even etcd, an unused let, one zone, none. Imports
    are module-wide, so in a module of many files only one of them imports `std/net`."""
    kind = i % 4
    zones = '["a"]' if kind == 2 else '["a", "b", "c"]'
    etcd = 'etcd { members = 4, pools = ["app"] }' if kind == 0 else "etcd { members = 3 }"
    unused = f"let spare{i} = {i}\n" if kind == 1 else ""
    header = 'import "std/net"\n' if imports else ""
    return f"""## Cluster {i} of the fleet.
{header}
schema Team{i} {{
  name: string
  owner: string = "platform"
  size: int(1..50) = 3
}}

let team{i} = Team{i} {{ name = "team-{i}", size = {3 + i % 5} }}
let zones{i} = {zones}
let base{i} = 10.{i % 250}.0.0/16
{unused}
fn subnet{i}(n: int) -> cidr = net.subnet(base{i}, 8, n)

cluster{i} = Cluster {{
  name       = "c{i}"
  provider   = sim
  region     = "region-{i % 3}"
  zones      = zones{i}
  kubernetes = v1.29.4

  network {{
    node_cidr    = base{i}
    pod_cidr     = 10.233.64.0/18
    service_cidr = 10.233.0.0/18
  }}
  {etcd}
  control_plane {{
    replicas = 3
    machine  = {{ cpu = 4, memory = 16Gi }}
  }}
  node_pool app {{
    replicas = team{i}.size
    machine  = {{ cpu = 8, memory = 32Gi }}
    labels   = {{ "team" = team{i}.name, "owner" = team{i}.owner }}
    upgrade  {{ max_surge = 1, max_unavailable = 0, drain_timeout = 10m }}
  }}
  addon coredns {{}}
}}

subnets{i} = [for n in range(len(zones{i})): subnet{i}(n)]
"""


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def timed(cmd):
    """Wall seconds, peak RSS (MiB) and exit code of one run (rusage of that process alone)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def best(cmds, repeat):
    """Best total wall seconds over `repeat` runs of all cmds in turn, and the largest peak RSS."""
    times, peak = [], 0.0
    for _ in range(repeat):
        total = 0.0
        for cmd in cmds:
            seconds, rss, code = timed(cmd)
            if code != 0:  # the input has warnings only
                sys.exit(f"{' '.join(cmd)} exited {code}")
            total += seconds
            peak = max(peak, rss)
        times.append(total)
    return min(times), peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kc", default=os.path.join(ROOT, "build/default/cli/kc"))
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    kc = os.path.abspath(args.kc)
    with tempfile.TemporaryDirectory(prefix="kc-bench-lint-") as work:
        one = os.path.join(work, "one")
        os.mkdir(one)
        write(os.path.join(work, ".kc-lint.yaml"), CONFIG)
        os.mkdir(os.path.join(work, ".git"))  # the config search stops here
        separate = []
        for i in range(args.files):
            write(os.path.join(one, f"c{i}.kcl"), cluster_file(i, i == 0))
            module = os.path.join(work, "many", f"m{i}")
            os.makedirs(module)
            write(os.path.join(module, "main.kcl"), cluster_file(i, True))
            separate.append(module)

        # The input must lint as designed: findings, but no compile errors.
        out = subprocess.run([kc, "lint", "--format", "json", one], capture_output=True, text=True)
        findings = json.loads(out.stdout) if out.stdout else []
        if out.returncode != 0 or any(f["severity"] == "error" for f in findings):
            sys.exit(f"kc lint on the generated module failed:\n{(out.stdout + out.stderr)[:3000]}")
        codes = collections.Counter(f["code"] for f in findings)

        print(f"{args.files} files; the one-module run reports {len(findings)} findings "
              f"({', '.join(f'{n} {code}' for code, n in sorted(codes.items()))}); "
              f"best of {args.repeat} runs\n")
        print("| input | kc check | kc lint | lint per file | peak memory (lint) |")
        print("|---|---:|---:|---:|---:|")
        rows = [(f"one module of {args.files} files", [[one]]),
                (f"{args.files} one-file modules, one `kc` each", [[m] for m in separate])]
        for label, paths in rows:
            check, _ = best([[kc, "check"] + p for p in paths], args.repeat)
            lint, peak = best([[kc, "lint"] + p for p in paths], args.repeat)
            print(f"| {label} | {check:.3f} s | {lint:.3f} s | {lint * 1000 / args.files:.1f} ms "
                  f"| {peak:.0f} MiB |")


if __name__ == "__main__":
    main()
