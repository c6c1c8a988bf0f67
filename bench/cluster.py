#!/usr/bin/env python3
"""Times checking and evaluating a `Cluster` (the std/cluster lowering in KCL) as it grows: the
ha-prod example with its `workers` param set to each size, side by side in one run. Prints wall
seconds of `kc check --dump=desired`, the resources it lowers to, microseconds per resource (flat
means linear growth) and peak memory.

  bench/cluster.py [--kc build/default/cli/kc] [WORKERS...]     (default: 10 100 500)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(kc, workers, repeat=5):
    """Median wall seconds, peak RSS (MiB) and the resource count of one evaluation."""
    cmd = [kc, "check", "--dump=desired", "--var", f"workers={workers}",
           os.path.join(ROOT, "examples", "ha-prod")]
    times, peak = [], 0.0
    with tempfile.TemporaryFile() as out:
        for _ in range(repeat):
            out.seek(0)
            out.truncate()
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            times.append(time.perf_counter() - start)
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"{' '.join(cmd)} failed")
            peak = max(peak, usage.ru_maxrss / 1024)
        out.seek(0)
        resources = len(json.load(out)["resources"])
    return sorted(times)[len(times) // 2], peak, resources


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kc", default=os.path.join(ROOT, "build/default/cli/kc"))
    parser.add_argument("workers", nargs="*", type=int, default=[10, 100, 500])
    args = parser.parse_args()
    print("| workers | resources | check + evaluate | us per resource | peak memory |")
    print("|---:|---:|---:|---:|---:|")
    for workers in args.workers:
        seconds, peak, resources = run(args.kc, workers)
        print(f"| {workers} | {resources:,} | {seconds:.3f} s | {seconds * 1e6 / resources:.0f} "
              f"| {peak:.0f} MiB |")


if __name__ == "__main__":
    main()
