#!/usr/bin/env python3
"""Protocol tests for `kc lsp`: a script of messages in, the server's messages out, compared with
the expectation beside it.

A case is a directory tests/lsp/cases/<case>/ holding the workspace (`.kcl` files, any layout),
`script.jsonl` and `expected.jsonl`. Each line of the script is one JSON-RPC message sent to the
server in order (blank lines and lines starting with `//` are skipped); a line starting with `RAW `
is sent as it stands after that prefix, with `\\r\\n` written as those characters, to test framing.
The server runs with `--sync` (one message at a time, diagnostics at once), except for cases whose
directory name starts with `async_`, which test the threaded mode: there, when diagnostics go out
depends on timing, so publishDiagnostics notifications are left out of the comparison.
`$ROOT` in the script stands for the workspace's absolute path in the temporary copy the server
runs on (use it inside `file://$ROOT/main.kcl`). The server handles messages one at a time, so its
output is deterministic; `expected.jsonl` holds every message it wrote, one per line with keys
sorted, `$ROOT` put back and serverInfo's version replaced by `$VERSION`.

  run.py --kc PATH [--update] [CASE...]   # --update rewrites expected.jsonl; review with git diff
"""
import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def script_bytes(path, root):
    out = b""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("//"):
                continue
            line = line.replace("$ROOT", root)
            if line.startswith("RAW "):
                out += line[4:].replace("\\r\\n", "\r\n").encode()
                continue
            try:
                message = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{number}: not JSON: {e}")
            out += frame(json.dumps(message).encode())
    return out


def deframe(data: bytes):
    """The bodies of the framed messages in `data`; raises on broken framing."""
    messages = []
    while data:
        header, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            raise ValueError(f"unframed output: {data[:200]!r}")
        length = None
        for line in header.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None or len(rest) < length:
            raise ValueError(f"bad frame header {header!r}")
        messages.append(rest[:length].decode("utf-8"))
        data = rest[length:]
    return messages


def normalize(body, root):
    message = json.loads(body)
    info = message.get("result", {}) if isinstance(message.get("result"), dict) else {}
    if "serverInfo" in info:
        info["serverInfo"]["version"] = "$VERSION"
    return json.dumps(message, sort_keys=True, ensure_ascii=False).replace(root, "$ROOT")


def run_case(kc, case_dir, update):
    name = os.path.basename(case_dir)
    with tempfile.TemporaryDirectory(prefix="kc-lsp-") as tmp:
        work = os.path.join(tmp, "ws")
        shutil.copytree(case_dir, work)
        root = os.path.realpath(work)
        stdin = script_bytes(os.path.join(case_dir, "script.jsonl"), root)
        try:
            mode = [] if name.startswith("async_") else ["--sync"]
            proc = subprocess.run([kc, "lsp", *mode], input=stdin, capture_output=True, cwd=root,
                                  timeout=60)
        except subprocess.TimeoutExpired:
            print(f"FAIL {name}: the server did not finish within 60 s")
            return False
        try:
            bodies = deframe(proc.stdout)
            if name.startswith("async_"):
                bodies = [b for b in bodies if "publishDiagnostics" not in b]
            lines = [normalize(b, root) for b in bodies]
        except ValueError as e:
            print(f"FAIL {name}: {e}")
            return False
        lines.append(f"// exit {proc.returncode}")
        actual = "\n".join(lines) + "\n"
    expected_path = os.path.join(case_dir, "expected.jsonl")
    expected = open(expected_path, encoding="utf-8").read() if os.path.exists(expected_path) else ""
    if actual == expected:
        print(f"PASS {name}")
        return True
    if update:
        with open(expected_path, "w", encoding="utf-8") as f:
            f.write(actual)
        print(f"UPDATED {name}")
        return True
    print(f"FAIL {name}")
    sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                               "expected.jsonl", "actual"))
    if proc.stderr:
        print("stderr:", proc.stderr.decode(errors="replace")[-2000:])
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kc", required=True)
    parser.add_argument("--update", action="store_true")
    parser.add_argument("cases", nargs="*")
    opts = parser.parse_args()
    kc = os.path.abspath(opts.kc)
    names = opts.cases or sorted(os.listdir(CASES))
    failed = [n for n in names if not run_case(kc, os.path.join(CASES, n), opts.update)]
    print(f"{len(names) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
