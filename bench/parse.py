#!/usr/bin/env python3
"""Parser throughput and memory on generated files of growing size, side by side in one run:
lexer and whole-parse MB/s (flat across sizes means linear time) and peak memory per input byte.

  bench/parse.py [--bench build/default/bench/kc_bench_parse] [LINES...]  (default 10000 100000)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default=os.path.join(HERE, "..", "build", "default", "bench",
                                                        "kc_bench_parse"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("lines", nargs="*", type=int, default=[10_000, 100_000])
    args = parser.parse_args()
    print(f"{'lines':>8} {'MB':>6} {'tokens':>9} {'lex MB/s':>9} {'parse s':>8} {'parse MB/s':>10}"
          f" {'peak MiB':>9} {'bytes/byte':>10}")
    with tempfile.TemporaryDirectory(prefix="kc-bench-parse-") as tmp:
        for lines in args.lines:
            path = os.path.join(tmp, f"gen-{lines}.kcl")
            with open(path, "w", encoding="utf-8") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "gen_kcl.py"), str(lines)],
                               stdout=f, check=True)
            out = subprocess.run([args.bench, path, str(args.repeat)], capture_output=True,
                                 text=True, check=True).stdout
            r = json.loads(out)
            if r["diagnostics"]:
                sys.exit(f"the generated file has {r['diagnostics']} syntax diagnostics")
            print(f"{lines:>8} {r['bytes'] / 1e6:>6.2f} {r['tokens']:>9} {r['lex_mb_per_s']:>9.1f}"
                  f" {r['parse_seconds']:>8.3f} {r['parse_mb_per_s']:>10.1f}"
                  f" {r['peak_memory_bytes'] / 2**20:>9.1f} {r['memory_per_input_byte']:>10.1f}")


if __name__ == "__main__":
    main()
