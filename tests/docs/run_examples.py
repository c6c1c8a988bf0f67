#!/usr/bin/env python3
"""Runs the KCL examples of markdown documentation and checks that they do what the page says.

An example is a fenced block whose info string starts with `kcl`. The fenced block right after
it (before any other `kcl` block) may say what the example does:

  ```json   `kc eval main.kcl` exits 0, prints no diagnostic, and prints this JSON. Compared as
            parsed JSON, so layout does not matter; but object keys must come in the same order,
            and `1`, `1.0` and `true` are three different values.
  ```yaml   `kc eval --format yaml main.kcl` exits 0, prints no diagnostic, and prints this text.
  ```text   starting `error[` or `warning[`: `kc check main.kcl` prints exactly these diagnostics
            (human form, no colour) and exits non-zero exactly when one of them is an error.
  ```text   starting `FILE:LINE:COL: error[` (or `warning[`): the same with `--diagnostics
            short`, one line per diagnostic — for errors whose labels point into the standard
            library, whose line numbers change whenever it is edited.
  nothing   `kc check main.kcl` exits 0 and prints no diagnostic.

Every example must also be in the layout `kc fmt` prints, unless it has syntax errors.

Attributes follow the language in the info string, as `name=value` or `name="a value"`:

  on `kcl`       args="--var n=4"   more arguments for kc, before the module path
                 env="KC_VAR_n=4"   environment variables (space-separated NAME=VALUE)
                 module=dir         run kc on the directory (`.`) instead of `main.kcl`, so the
                                    .kcl files of `file=` blocks are part of the module
                 dump=desired       the JSON is `kc check --dump=desired`, not `kc eval`
                 skip="reason"      not run (a known kc bug); listed and counted as skipped
  on any block   file=PATH          not an example: the block's text is written to PATH (relative
                                    to the example's directory) for the next example — an
                                    imported module, a var file

Each example runs in a fresh temporary directory holding `main.kcl` and the files of the `file=`
blocks since the previous example; it is the working directory, so diagnostics name `main.kcl`.
KC_VAR_* variables of the caller are removed and NO_COLOR is set.

  run_examples.py --kc PATH [--update] [--stdlib-reference] FILE.md...

--update rewrites every expectation that differs with what kc prints now (review with git diff;
JSON is written in a compact layout). --stdlib-reference also checks that the generated reference
in docs/stdlib.md is what tests/docs/stdlib_reference.py makes of stdlib/std/*.kcl now.
Prints `docs examples: N passed, M failed, K skipped`; exits 1 when anything failed.
"""
import argparse
import concurrent.futures
import difflib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
SHORT = re.compile(r"^\S+:\d+:\d+: (error|warning)\[")


class Block:
    """A fenced block: its language, attributes, text and where it is (`first` and `last` are the
    0-based indexes of its text lines; last < first when it is empty)."""

    def __init__(self, path, fence_line, info, text, first, last):
        self.path, self.line, self.text = path, fence_line, text
        self.first, self.last = first, last
        parts = shlex.split(info) if info.strip() else []
        self.lang = parts[0] if parts and "=" not in parts[0] else ""
        self.attrs = {}
        for p in parts[1:] if self.lang else parts:
            name, _, value = p.partition("=")
            self.attrs[name] = value

    def where(self):
        return f"{self.path}:{self.line}"


def blocks(path):
    """The fenced blocks of a markdown file, in order."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.group(1), m.group(2), m.group(3)
        closing = re.compile(r"^\s*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
        body, j = [], i + 1
        while j < len(lines) and not closing.match(lines[j]):
            line = lines[j]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            j += 1
        out.append(Block(path, i + 1, info.strip(), "\n".join(body) + "\n", i + 1, j - 1))
        i = j + 1
    return out


def is_expectation(block):
    if "file" in block.attrs:
        return False
    if block.lang in ("json", "yaml"):
        return True
    return block.lang == "text" and (re.match(r"(error|warning)\[", block.text) is not None or
                                     SHORT.match(block.text) is not None)


def examples(path):
    """(example, expectation or None, [file blocks]) for each `kcl` example of a file."""
    found, files = [], []
    bs = blocks(path)
    for k, b in enumerate(bs):
        if "file" in b.attrs:
            files.append(b)
            continue
        if b.lang != "kcl":
            continue
        expect = bs[k + 1] if k + 1 < len(bs) and is_expectation(bs[k + 1]) else None
        found.append((b, expect, files))
        files = []
    return found


# ---- Comparing. ----

def parse_json(text):
    return json.loads(text, object_pairs_hook=tuple)


def strict(value):
    """A parse_json value in a form whose == respects key order and tells ints, floats and
    booleans apart (Python's own has 1 == 1.0 == True)."""
    if isinstance(value, list):
        return ("list", [strict(v) for v in value])
    if isinstance(value, tuple):
        return ("object", [(k, strict(v)) for k, v in value])
    return (type(value).__name__, value)


def flat_json(value):
    if isinstance(value, list):
        return "[" + ", ".join(flat_json(v) for v in value) + "]"
    if isinstance(value, tuple):
        if not value:
            return "{}"
        return "{ " + ", ".join(json.dumps(k, ensure_ascii=False) + ": " + flat_json(v)
                                for k, v in value) + " }"
    return json.dumps(value, ensure_ascii=False)


def compact_json(value, level=0, column=0, width=100):
    """JSON text of a parse_json value: what fits on the rest of a line stays on it."""
    flat = flat_json(value)
    if column + len(flat) <= width or not isinstance(value, (list, tuple)) or not value:
        return flat
    pad = "  " * (level + 1)
    if isinstance(value, list):
        items = [pad + compact_json(v, level + 1, len(pad), width) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * level + "]"
    items = []
    for k, v in value:
        head = pad + json.dumps(k, ensure_ascii=False) + ": "
        items.append(head + compact_json(v, level + 1, len(head), width))
    return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"


def diff(expected, actual):
    return "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        "documented", "actual"))


def strip_lines(text):
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))


# ---- Running. ----

def run(kc, args, cwd, env):
    return subprocess.run([kc] + args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def check_example(kc, ex, expect, files):
    """Runs one example: (problems, the expectation's text as kc has it now, or None when it cannot
    be rewritten)."""
    with tempfile.TemporaryDirectory(prefix="kc-docs-") as tmp:
        for f in files:
            target = os.path.join(tmp, f.attrs["file"])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as out:
                out.write(f.text)
        with open(os.path.join(tmp, "main.kcl"), "w", encoding="utf-8") as out:
            out.write(ex.text)
        env = {k: v for k, v in os.environ.items() if not k.startswith("KC_VAR_")}
        env["NO_COLOR"] = "1"
        for pair in shlex.split(ex.attrs.get("env", "")):
            name, _, value = pair.partition("=")
            env[name] = value
        extra = shlex.split(ex.attrs.get("args", ""))
        target = "." if ex.attrs.get("module") == "dir" else "main.kcl"

        problems = []
        p = run(kc, ["fmt", "--diff", "main.kcl"], tmp, env)
        if p.returncode != 0 and p.stdout.strip():  # no diff: it has syntax errors
            problems.append("not in the layout `kc fmt` prints:\n" + p.stdout)

        if expect is None:
            p = run(kc, ["check"] + extra + [target], tmp, env)
            if p.returncode != 0 or p.stderr.strip():
                problems.append(f"`kc check` should pass silently; exit {p.returncode}:\n{p.stderr}")
            return problems, None

        if expect.lang == "text":
            short = ["--diagnostics", "short"] if SHORT.match(expect.text) else []
            p = run(kc, ["check"] + short + extra + [target], tmp, env)
            want, got = strip_lines(expect.text), strip_lines(p.stderr)
            if want != got:
                problems.append("diagnostics differ:\n" + diff(want + "\n", got + "\n"))
            errors = re.search(r"^(\S+:\d+:\d+: )?error\[", got, re.M) is not None
            if errors != (p.returncode != 0):
                problems.append(f"exit {p.returncode} with these diagnostics")
            if not got:
                return problems, None
            return problems, got + "\n"

        if ex.attrs.get("dump") == "desired":
            args = ["check", "--dump=desired"] + extra + [target]
        elif expect.lang == "yaml":
            args = ["eval", "--format", "yaml"] + extra + [target]
        else:
            args = ["eval"] + extra + [target]
        p = run(kc, args, tmp, env)
        if p.returncode != 0 or p.stderr.strip():
            return problems + [f"`kc {' '.join(args)}` exit {p.returncode}:\n{p.stderr}"], None
        if expect.lang == "yaml":
            if strip_lines(expect.text) != strip_lines(p.stdout):
                problems.append("output differs:\n" + diff(expect.text, p.stdout))
            return problems, p.stdout
        got = parse_json(p.stdout)
        try:
            want = parse_json(expect.text)
        except json.JSONDecodeError as e:
            return problems + [f"the JSON at {expect.where()} does not parse: {e}"], \
                compact_json(got) + "\n"
        if strict(want) != strict(got):
            problems.append("output differs:\n" + diff(compact_json(want, width=0) + "\n",
                                                       compact_json(got, width=0) + "\n"))
        return problems, compact_json(got) + "\n"


def update(path, replacements):
    """Rewrites the text of blocks of `path`: replacements maps a Block to its new text."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for block, text in sorted(replacements, key=lambda r: -r[0].first):
        lines[block.first:block.last + 1] = text.rstrip("\n").split("\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kc", required=True)
    parser.add_argument("--update", action="store_true",
                        help="rewrite the expectations that differ with kc's output")
    parser.add_argument("--stdlib-reference", action="store_true",
                        help="also check that docs/stdlib.md's generated reference is current")
    parser.add_argument("files", nargs="+")
    opts = parser.parse_args()
    kc = os.path.abspath(opts.kc)

    passed = failed = 0
    skips, runnable = [], []
    for path in opts.files:
        for ex, expect, files in examples(path):
            if "skip" in ex.attrs:
                skips.append(f"{ex.where()}: {ex.attrs['skip']}")
            else:
                runnable.append((ex, expect, files))
    rewrites = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(lambda case: check_example(kc, *case), runnable)
        for (ex, expect, _), (problems, now) in zip(runnable, results):
            if problems and opts.update and expect is not None and now is not None:
                rewrites.setdefault(ex.path, []).append((expect, now))
                print(f"UPDATED {expect.where()}")
                problems = [p for p in problems
                            if not p.startswith(("diagnostics differ", "output differs", "the JSON"))]
            if problems:
                failed += 1
                print(f"FAIL {ex.where()}")
                for p in problems:
                    print("  " + p.rstrip("\n").replace("\n", "\n  "))
            else:
                passed += 1
    for path, replacements in rewrites.items():
        update(path, replacements)
    if opts.stdlib_reference:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        sys.dont_write_bytecode = True  # no __pycache__ in the source tree
        import stdlib_reference
        stale = stdlib_reference.check(kc)
        if stale:
            failed += 1
            print("FAIL docs/stdlib.md's generated reference is out of date (run "
                  "tests/docs/stdlib_reference.py --update --kc PATH):")
            print("  " + stale.rstrip("\n").replace("\n", "\n  "))
        else:
            print("docs/stdlib.md: the generated reference is up to date")
    for s in skips:
        print(f"SKIP {s}")
    print(f"docs examples: {passed} passed, {failed} failed, {len(skips)} skipped")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
