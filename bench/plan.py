#!/usr/bin/env python3
"""Times `kc plan --refresh=false` of N generated machines against a stored state that matches the
module (no changes) and against one where a tenth of the machines changed (updates and
replacements), side by side in one run; `kc check` of the same module beside them is the front
end's share. The state is written directly (bench/gen_plan.py), not applied. Prints the best wall
seconds of --repeat runs, microseconds per resource (flat means linear growth) and the largest
peak RSS, and the CPU seconds (user + system) of the no-change plan: on a machine shared with
other work, CPU time shows the growth that wall time blurs. With --base OLD_KC, every measurement also runs OLD_KC, interleaved, and prints the
ratio old/new.

  bench/plan.py [--kc build/default/cli/kc] [--base OLD_KC] [--repeat N] [--refresh] [SIZES...]
                                                         (default sizes: 1000 10000 100000)
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_plan  # noqa: E402


def timed(cmd, expect):
    """Wall seconds, peak RSS (MiB) and CPU seconds of one run of cmd (rusage of that process)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != expect:
        sys.exit(f"{' '.join(cmd)} exited {code}, expected {expect}:\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def plan_command(kc, work, refresh):
    """`kc plan` without refresh when this kc has --refresh=false and `refresh` is not asked for;
    otherwise with refresh (the generated sim world matches the state, so it finds no drift)."""
    help_text = subprocess.run([kc, "plan", "--help"], capture_output=True, text=True).stdout
    flags = ["--refresh=false"] if "--refresh" in help_text and not refresh else []
    return [kc, "plan", "--detailed-exitcode", *flags, work], bool(flags)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kc", default="build/default/cli/kc")
    parser.add_argument("--base", help="an older kc to compare with, run interleaved")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the best")
    parser.add_argument("--refresh", action="store_true",
                        help="plan with refresh (to compare with a kc that has no --refresh=false)")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    opts = parser.parse_args()
    binaries = [("new", os.path.abspath(opts.kc))]
    if opts.base:
        binaries.insert(0, ("old", os.path.abspath(opts.base)))

    header = (f"{'kc':>3} {'resources':>9} {'check_s':>8} {'noop_s':>8} {'noop_us/res':>11} "
              f"{'noop_MiB':>8} {'noop_cpu':>8} {'cpu_us/res':>10} {'10%_s':>8} {'10%_us/res':>10} {'10%_MiB':>8}")
    print(header)
    for n in opts.sizes:
        with tempfile.TemporaryDirectory(prefix="kc-bench-plan-") as work:
            same = os.path.join(work, "same")
            changed = os.path.join(work, "changed")
            gen_plan.write(n, same)
            gen_plan.write(n, changed, changed=True)
            results = {}
            for _ in range(opts.repeat):  # interleave binaries so machine noise hits both alike
                for name, kc in binaries:
                    noop_cmd, no_refresh = plan_command(kc, same, opts.refresh)
                    changed_cmd, _ = plan_command(kc, changed, opts.refresh)
                    row = results.setdefault(name, {"refresh": not no_refresh})
                    for key, cmd, expect in (("check", [kc, "check", same], 0),
                                             ("noop", noop_cmd, 0),
                                             ("changed", changed_cmd, 2)):
                        t, m, c = timed(cmd, expect)
                        old_t, old_m, old_c = row.get(key, (float("inf"), 0.0, float("inf")))
                        row[key] = (min(t, old_t), max(m, old_m), min(c, old_c))
            for name, _ in binaries:
                row = results[name]
                check, _, _ = row["check"]
                noop, noop_mib, noop_cpu = row["noop"]
                chg, chg_mib, _ = row["changed"]
                note = "  (with refresh)" if row["refresh"] else ""
                print(f"{name:>3} {n:>9} {check:>8.3f} {noop:>8.3f} {noop * 1e6 / n:>11.1f} "
                      f"{noop_mib:>8.1f} {noop_cpu:>8.3f} {noop_cpu * 1e6 / n:>10.1f} {chg:>8.3f} {chg * 1e6 / n:>10.1f} {chg_mib:>8.1f}{note}")
            if opts.base:
                old, new = results["old"], results["new"]
                ratio = {k: old[k][0] / new[k][0] for k in ("check", "noop", "changed")}
                mem = {k: old[k][1] / new[k][1] for k in ("noop", "changed")}
                cpu = old["noop"][2] / new["noop"][2]
                print(f"{'old/new':>13} {ratio['check']:>8.2f}x {ratio['noop']:>7.2f}x {'':>11} "
                      f"{mem['noop']:>7.2f}x {cpu:>7.2f}x {'':>10} {ratio['changed']:>7.2f}x {'':>10} "
                      f"{mem['changed']:>7.2f}x")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
