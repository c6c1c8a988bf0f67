#!/usr/bin/env python3
"""kc fmt guarantees over every .kcl file of the repository (tests/testdata, examples/, stdlib/):

- `kc fmt -` accepts it (exit 0; its own safety net already fails on a changed syntax tree or lost
  comments) unless the file has syntax errors, which `kc check` must then confirm (E01xx);
- formatting is idempotent: formatting the output again changes nothing;
- examples/ and stdlib/ are already canonical: `kc fmt --check examples stdlib` exits 0;
- `kc fmt DIR` rewrites exactly the files it should, in place, keeping their permissions: every
  `.kcl` below DIR except in hidden directories and `.kc`, and only when they change.

  fmt_check.py --kc PATH
"""
import argparse
import os
import stat
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TREES = ["tests/testdata", "examples", "stdlib"]
CANONICAL = ["examples", "stdlib"]


def kcl_files():
    for tree in TREES:
        for dirpath, dirs, files in os.walk(os.path.join(ROOT, tree)):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.endswith(".kcl"):
                    yield os.path.join(dirpath, name)


def fmt_stdin(kc, text):
    return subprocess.run([kc, "fmt", "-"], input=text, capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, NO_COLOR="1"))


def has_syntax_errors(kc, path):
    proc = subprocess.run([kc, "check", "--diagnostics", "short", os.path.basename(path)],
                          cwd=os.path.dirname(path), capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, NO_COLOR="1"), stdin=subprocess.DEVNULL)
    return "[E01" in proc.stderr


def in_place_problems(kc):
    """Runs `kc fmt` on a small tree in a temporary directory; returns what went wrong."""
    untidy, tidy = "x   =   {a=1}\n", "x = { a = 1 }\n"
    layout = {"a.kcl": untidy, "sub/b.kcl": untidy, "sub/deep/c.kcl": untidy,
              ".hidden/d.kcl": untidy, ".kc/e.kcl": untidy, "notes.txt": untidy,
              "clean.kcl": tidy}
    expected = dict(layout, **{"a.kcl": tidy, "sub/b.kcl": tidy, "sub/deep/c.kcl": tidy})
    problems = []
    with tempfile.TemporaryDirectory(prefix="kc-fmt-") as tmp:
        for rel, text in layout.items():
            os.makedirs(os.path.dirname(os.path.join(tmp, rel)), exist_ok=True)
            with open(os.path.join(tmp, rel), "w", encoding="utf-8") as f:
                f.write(text)
        os.chmod(os.path.join(tmp, "sub/b.kcl"), 0o600)
        clean_mtime = os.stat(os.path.join(tmp, "clean.kcl")).st_mtime_ns
        env = dict(os.environ, NO_COLOR="1")
        check = subprocess.run([kc, "fmt", "--check"], cwd=tmp, capture_output=True, text=True,
                               timeout=60, env=env)
        if check.returncode != 1 or check.stdout != "a.kcl\nsub/b.kcl\nsub/deep/c.kcl\n":
            problems.append(f"kc fmt --check listed {check.stdout!r}, exit {check.returncode}")
        run = subprocess.run([kc, "fmt", "."], cwd=tmp, capture_output=True, text=True, timeout=60,
                             env=env)
        if run.returncode != 0 or run.stdout or run.stderr:
            problems.append(f"kc fmt . exited {run.returncode}: {run.stdout}{run.stderr}")
        for rel, text in expected.items():
            with open(os.path.join(tmp, rel), encoding="utf-8") as f:
                if f.read() != text:
                    problems.append(f"{rel} has the wrong text after kc fmt")
        if stat.S_IMODE(os.stat(os.path.join(tmp, "sub/b.kcl")).st_mode) != 0o600:
            problems.append("kc fmt did not keep the permissions of sub/b.kcl")
        if os.stat(os.path.join(tmp, "clean.kcl")).st_mtime_ns != clean_mtime:
            problems.append("kc fmt rewrote clean.kcl, which was already canonical")
        leftovers = [n for n in os.listdir(os.path.join(tmp, "sub")) if n not in ("b.kcl", "deep")]
        if leftovers:
            problems.append(f"kc fmt left files behind: {leftovers}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kc", required=True)
    opts = parser.parse_args()
    kc = os.path.abspath(opts.kc)

    passed = failed = skipped = 0
    for path in kcl_files():
        rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        first = fmt_stdin(kc, text)
        problem = None
        if first.returncode != 0:
            if has_syntax_errors(kc, path):
                skipped += 1
                continue
            problem = f"kc fmt - exited {first.returncode}:\n{first.stderr}"
        else:
            second = fmt_stdin(kc, first.stdout)
            if second.returncode != 0:
                problem = f"formatting the output again exited {second.returncode}:\n{second.stderr}"
            elif second.stdout != first.stdout:
                problem = "not idempotent: the second run changed the output"
        if problem:
            failed += 1
            print(f"FAIL {rel}\n  " + problem.rstrip().replace("\n", "\n  "))
        else:
            passed += 1

    trees = [t for t in CANONICAL if os.path.isdir(os.path.join(ROOT, t))]
    check = subprocess.run([kc, "fmt", "--check"] + trees, cwd=ROOT, capture_output=True,
                           text=True, timeout=120, env=dict(os.environ, NO_COLOR="1"))
    if check.returncode != 0:
        failed += 1
        print(f"FAIL kc fmt --check {' '.join(trees)} exited {check.returncode}; not canonical:\n  "
              + (check.stdout + check.stderr).rstrip().replace("\n", "\n  "))
    else:
        passed += 1
    problems = in_place_problems(kc)
    if problems:
        failed += 1
        print("FAIL kc fmt in place:\n  " + "\n  ".join(problems))
    else:
        passed += 1
    print(f"fmt: {passed} passed, {failed} failed, {skipped} skipped (syntax errors)")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
