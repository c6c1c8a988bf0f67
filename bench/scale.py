#!/usr/bin/env python3
"""Times `kc check`, `kc plan` on an empty state, `kc apply`, and `kc plan` with nothing to change,
on generated modules of growing size, side by side in one run. Prints wall seconds, microseconds per
resource (flat means linear growth) and the peak memory of the no-change plan (of the first plan
with --no-apply).

  bench/scale.py [--kc build/default/cli/kc] [SIZES...]     (default sizes: 1000 5000 20000)
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd):
    """Wall seconds and peak RSS (MiB) of one run of cmd (rusage of that process alone)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 2):
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kc", default="build/default/cli/kc")
    parser.add_argument("--no-apply", action="store_true",
                        help="only check and plan on an empty state (apply is quadratic for now)")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000, 20000])
    opts = parser.parse_args()
    kc = os.path.abspath(opts.kc)
    print(f"{'resources':>9} {'check_s':>8} {'plan_s':>8} {'apply_s':>8} {'noop_plan_s':>11} "
          f"{'noop_us/res':>11} {'peak_MiB':>8}")
    for n in opts.sizes:
        with tempfile.TemporaryDirectory(prefix="kc-bench-") as work:
            with open(os.path.join(work, "main.kcl"), "w") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "gen_machines.py"), str(n)],
                               stdout=f, check=True)
            check, _ = timed([kc, "check", work])
            plan, peak = timed([kc, "plan", work])
            if opts.no_apply:
                print(f"{n:>9} {check:>8.3f} {plan:>8.3f} {'-':>8} {'-':>11} {'-':>11} {peak:>8.1f}")
                continue
            apply, _ = timed([kc, "apply", "--auto-approve", work])
            noop, peak = timed([kc, "plan", "--detailed-exitcode", work])
            print(f"{n:>9} {check:>8.3f} {plan:>8.3f} {apply:>8.3f} {noop:>11.3f} "
                  f"{noop * 1e6 / n:>11.1f} {peak:>8.1f}")


if __name__ == "__main__":
    main()
