#!/usr/bin/env python3
"""Times `kc apply --auto-approve` of N independent sim machines (a fresh module directory, so
every machine is a create) with a fixed provider `latency` and `--parallelism P`, and compares the
wall time with the lower bound max(critical path, steps x latency / P): the critical path of N
independent creates is one latency. The overhead ratio wall / bound says what the executor, the
state journal and the provider's own bookkeeping add (1.0 would be perfect). A kc without
--parallelism (the sequential executor) is measured with P = 1. Also reports the bytes the state
directory holds afterwards and checks that the state has N resources.

  bench/apply.py [--kc build/default/cli/kc] [--latency-ms 20] [--parallelism 10] [N...]
                                                               (default N: 10000)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def module(n, latency_ms):
    return (f"provider sim {{ latency = {latency_ms}ms }}\n\n"
            f"machines = [for i in range({n}): resource sim.machine \"m-${{i}}\" {{\n"
            "  cpu    = 1\n  memory = 1Gi\n  zone   = \"a\"\n}]\n")


def has_parallelism(kc):
    help_text = subprocess.run([kc, "apply", "--help"], capture_output=True, text=True).stdout
    return "--parallelism" in help_text


def measure(kc, n, latency_ms, parallelism):
    with tempfile.TemporaryDirectory(prefix="kc-bench-apply-") as work:
        with open(os.path.join(work, "main.kcl"), "w") as f:
            f.write(module(n, latency_ms))
        cmd = [kc, "apply", "--auto-approve"]
        if parallelism is not None:
            cmd += ["--parallelism", str(parallelism)]
        cmd.append(work)
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr.decode()[-4000:]}")
        state_path = os.path.join(work, ".kc", "state.json")
        with open(state_path) as f:
            stored = len(json.load(f)["resources"])
        if stored != n:
            sys.exit(f"the state holds {stored} resources, expected {n}")
        state_bytes = os.path.getsize(state_path)
        return wall, state_bytes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kc", default="build/default/cli/kc")
    parser.add_argument("--latency-ms", type=int, default=20, help="sim provider latency")
    parser.add_argument("--parallelism", type=int, default=10, help="kc apply --parallelism")
    parser.add_argument("sizes", nargs="*", type=int, default=[10000])
    opts = parser.parse_args()
    kc = os.path.abspath(opts.kc)
    parallel = has_parallelism(kc)
    p = opts.parallelism if parallel else 1
    executor = f"parallel executor, --parallelism {p}" if parallel else "sequential executor (P=1)"
    print(f"kc: {kc}\nexecutor: {executor}; sim latency {opts.latency_ms} ms")
    print(f"{'N':>7} {'wall s':>8} {'bound s':>8} {'overhead':>8} {'ms/step':>8} {'state KiB':>9}")
    for n in opts.sizes:
        wall, state_bytes = measure(kc, n, opts.latency_ms, p if parallel else None)
        latency = opts.latency_ms / 1000
        bound = max(latency, n * latency / p)
        print(f"{n:>7} {wall:>8.2f} {bound:>8.2f} {wall / bound:>8.2f} "
              f"{wall / n * 1000:>8.2f} {state_bytes / 1024:>9.0f}")


if __name__ == "__main__":
    main()
