#!/usr/bin/env python3
"""Latency of `kc lsp` on a workspace of about 10k lines: diagnostics after an edit, completion and
hover, as p50/p95 over --rounds edits, and the server's peak memory.

The workspace is one module of --files files (default 20 x ~500 lines): schemas with fields and
doc comments, lets, a function, and instances that reference each other across files. Each round
edits one file (changes a literal, incrementally, as an editor does), then measures:
  diagnostics  from sending didChange to receiving publishDiagnostics for that version (with
               `--sync`, so no debounce is counted: the threaded mode adds its 150 ms debounce);
  completion   a request after `name.` on an instance (schema fields);
  hover        a request on a field access.

  bench/lsp.py [--kc build/default/cli/kc] [--files 20] [--rounds 40]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

SCHEMAS_PER_FILE = 10


def file_text(f, files):
    out = [f"## File {f} of the benchmark workspace.", ""]
    for s in range(SCHEMAS_PER_FILE):
        name = f"Pool{f}x{s}"
        out += [f"## A pool of machines, number {s} of file {f}.", f"schema {name} {{",
                "  ## How many machines.", "  size: int = 3", "  zone: string = \"a\"",
                "  labels: {string: string} = {}", "  cpu: int = 2", "  memory: bytes = 4Gi",
                "  ## Whether the pool takes work.", "  schedulable: bool = true", "}", ""]
        prev = f"p{(f - 1) % files}x{s}" if f > 0 else None
        size = f"{prev}.size + 1" if prev else "1"
        out += [f"let base{f}x{s} = {s} + {f}",
                f"p{f}x{s} = {name} {{", f"  size = {size}", f"  zone = \"z{s % 3}\"",
                f"  labels = {{\"team\" = \"t{s}\", \"file\" = \"f{f}\"}}",
                f"  cpu = base{f}x{s} % 8 + 1", "}", ""]
        out += [f"fn double{f}x{s}(x: int) -> int = x * 2",
                f"total{f}x{s} = double{f}x{s}(p{f}x{s}.size) + p{f}x{s}.cpu", ""]
        out += [f"# padding line {k} of pool {s}" for k in range(18)] + [""]
    return "\n".join(out) + "\n"


class Client:
    def __init__(self, kc, root):
        self.proc = subprocess.Popen([kc, "lsp", "--sync"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, cwd=root)
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                sys.exit("the server closed its output")
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id:
                return message

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri, version):
        while True:
            message = self.read()
            params = message.get("params", {})
            if (message.get("method") == "textDocument/publishDiagnostics" and
                    params.get("uri") == uri and params.get("version") == version):
                return params["diagnostics"]


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kc", default="build/default/cli/kc")
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=40)
    opts = parser.parse_args()
    kc = os.path.abspath(opts.kc)
    with tempfile.TemporaryDirectory(prefix="kc-bench-lsp-") as root:
        texts = {}
        for f in range(opts.files):
            texts[f] = file_text(f, opts.files)
            with open(os.path.join(root, f"f{f:02d}.kcl"), "w") as out:
                out.write(texts[f])
        lines = sum(t.count("\n") for t in texts.values())
        client = Client(kc, root)
        client.request("initialize", {"processId": None, "rootUri": f"file://{root}",
                                      "capabilities": {}})
        client.notify("initialized", {})
        uri = lambda f: f"file://{root}/f{f:02d}.kcl"  # noqa: E731
        start = time.perf_counter()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri(0), "languageId": "kcl", "version": 1, "text": texts[0]}})
        first = client.wait_diagnostics(uri(0), 1)
        open_s = time.perf_counter() - start
        if first:
            sys.exit(f"the workspace has diagnostics: {first[:3]}")
        # Where to edit, complete and hover in file 0: the literal `3 + 0` of base0x1 and the
        # `p0x2.size` field access in total0x2.
        lines0 = texts[0].split("\n")
        edit_line = next(i for i, l in enumerate(lines0) if l.startswith("let base0x1 = "))
        hover_line = next(i for i, l in enumerate(lines0) if l.startswith("total0x2 = "))
        hover_col = lines0[hover_line].index("p0x2.size") + 6
        diag, comp, hov = [], [], []
        version = 1
        for r in range(opts.rounds):
            version += 1
            value = str(10 + r)
            col = len("let base0x1 = ")
            old_len = len(lines0[edit_line]) - col
            lines0[edit_line] = lines0[edit_line][:col] + value
            t = time.perf_counter()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri(0), "version": version},
                "contentChanges": [{"range": {"start": {"line": edit_line, "character": col},
                                              "end": {"line": edit_line,
                                                      "character": col + old_len}},
                                    "text": value}]})
            client.wait_diagnostics(uri(0), version)
            diag.append(time.perf_counter() - t)
            t = time.perf_counter()
            result = client.request("textDocument/completion", {
                "textDocument": {"uri": uri(0)},
                "position": {"line": hover_line, "character": hover_col - 4}})
            comp.append(time.perf_counter() - t)
            if not result.get("result", {}).get("items"):
                sys.exit(f"completion returned nothing: {result}")
            t = time.perf_counter()
            result = client.request("textDocument/hover", {
                "textDocument": {"uri": uri(0)},
                "position": {"line": hover_line, "character": hover_col}})
            hov.append(time.perf_counter() - t)
            if not result.get("result"):
                sys.exit(f"hover returned nothing: {result}")
        rss = peak_rss_mib(client.proc.pid)
        client.request("shutdown", None)
        client.notify("exit", None)
        client.proc.wait(timeout=30)
    print(f"workspace: {opts.files} files, {lines} lines; open to first diagnostics {open_s * 1000:.0f} ms")
    print(f"{'request':<12} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values in (("diagnostics", diag), ("completion", comp), ("hover", hov)):
        print(f"{name:<12} {pct(values, 50):>8.1f} {pct(values, 95):>8.1f}")
    print(f"peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
