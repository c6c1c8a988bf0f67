#!/usr/bin/env python3
"""Golden file tests: run `kc` on every case under tests/testdata and compare with the expectation.

A case is `tests/testdata/<phase>/<topic>/[fail_]<case>.kcl`; files whose names start with `_` are
not cases (cases import them). The expectation lives beside the case in `<case>.out`: the exit code,
stdout and stderr of the run. The command is `kc <args> <case file>`, where <args> comes from a
`# ARGS: ...` line in the case (split as a shell would), or else from the phase's default below;
when <args> contain `-`, the case file's text is given on standard input instead of its name.
A directory `<case>.kc` beside a case is copied in as the module's `.kc` (a stored state and sim
world to plan against).
`fail_` cases must exit non-zero and the others zero, so a golden file cannot quietly accept a wrong outcome.

Each case runs in a fresh temporary copy of its directory (so `.kc/` state never lands in the tree),
with that copy as the working directory, so paths print as the case's file name.

  run.py --kc PATH [--update] [FILTER...]   # --update rewrites the .out files; review with git diff
"""
import argparse
import difflib
import os
import shlex
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDATA = os.path.join(ROOT, "testdata")
DEFAULT_ARGS = {
    "syntax": ["check", "--dump=ast"],
    "sema": ["check"],
    "eval": ["eval"],
    "plan": ["plan"],
    "cli": ["check"],
    "fmt": ["fmt", "-"],
    "lint": ["lint"],
}


def cases(filters):
    for dirpath, _, files in os.walk(TESTDATA):
        for name in sorted(files):
            if not name.endswith(".kcl") or name.startswith("_"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, TESTDATA)
            if filters and not any(f in rel for f in filters):
                continue
            yield path, rel


def args_for(path, rel):
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*#\s*ARGS:\s*(.*)$", line)
            if m:
                return shlex.split(m.group(1))
    phase = rel.split(os.sep)[0]
    return DEFAULT_ARGS.get(phase, ["check"])


# Seconds one case may take before it counts as a hang. Sanitizer builds run ~10x slower, so their
# test preset raises it (KC_TEST_TIMEOUT in CMakePresets.json).
CASE_TIMEOUT = float(os.environ.get("KC_TEST_TIMEOUT", "60"))


def run_case(kc, path, rel):
    args = args_for(path, rel)
    with tempfile.TemporaryDirectory(prefix="kc-golden-") as tmp:
        work = os.path.join(tmp, "case")
        shutil.copytree(os.path.dirname(path), work,
                        ignore=shutil.ignore_patterns("*.out", ".kc", "*.kc"))
        # A case may start from a stored state (and sim world): the directory `<case>.kc` beside
        # it becomes the module's `.kc`.
        prepared = path[:-4] + ".kc"
        if os.path.isdir(prepared):
            shutil.copytree(prepared, os.path.join(work, ".kc"))
        # Apply progress lines without their time prefix, so that outputs compare exactly.
        env = dict(os.environ, NO_COLOR="1", KC_PROGRESS_TIMESTAMPS="0")
        env = {k: v for k, v in env.items() if not k.startswith("KC_VAR_")}
        if "-" in args:
            with open(path, encoding="utf-8", newline="") as f:
                stdin_text = f.read()
            proc = subprocess.run([kc] + args, cwd=work, env=env, capture_output=True, text=True,
                                  timeout=CASE_TIMEOUT, input=stdin_text)
        else:
            proc = subprocess.run([kc] + args + [os.path.basename(path)], cwd=work, env=env,
                                  capture_output=True, text=True, timeout=CASE_TIMEOUT,
                                  stdin=subprocess.DEVNULL)
    out = f"exit: {proc.returncode}\n--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}"
    return proc.returncode, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kc", required=True)
    parser.add_argument("--update", action="store_true")
    parser.add_argument("filters", nargs="*")
    opts = parser.parse_args()
    kc = os.path.abspath(opts.kc)

    passed = failed = 0
    for path, rel in cases(opts.filters):
        expected_path = path[:-4] + ".out"
        try:
            code, actual = run_case(kc, path, rel)
        except subprocess.TimeoutExpired:
            failed += 1
            print(f"FAIL {rel}\n  did not finish in {CASE_TIMEOUT:g} s (KC_TEST_TIMEOUT)")
            continue
        problems = []
        want_failure = os.path.basename(path).startswith("fail_")
        if want_failure and code == 0:
            problems.append("a fail_ case exited 0")
        if not want_failure and code != 0:
            problems.append(f"exited {code}; only fail_ cases may fail")
        if opts.update:
            with open(expected_path, "w", encoding="utf-8") as f:
                f.write(actual)
        elif not os.path.exists(expected_path):
            problems.append(f"no expectation {os.path.relpath(expected_path, ROOT)} (run with --update)")
        else:
            with open(expected_path, encoding="utf-8") as f:
                expected = f.read()
            if expected != actual:
                diff = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            "expected", "actual")
                problems.append("output differs:\n" + "".join(diff))
        if problems:
            failed += 1
            print(f"FAIL {rel}")
            for p in problems:
                print("  " + p.replace("\n", "\n  "))
        else:
            passed += 1
    print(f"golden: {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
