#!/usr/bin/env python3
"""Latency of `kc lsp` on a workspace of about 10k lines: diagnostics after an edit, completion and
hover, as p50/p95 over --rounds edits, and the server's peak memory.

The workspace has --files files (default 20 x ~500 lines): schemas with fields and doc comments,
lets, a function, and instances that reference each other across files. By default (--libs 0) it
is one module, and the rounds edit `f00.kcl`, the only open document.

With --libs K the same files are spread over K library modules (directories `lib00/` ...
`lib{K-1}/`, each a directory module of several files) and the root module (the workspace
directory itself: `main.kcl` and a share of the files like every library's). Library k imports
library k-1 (`import "../lib{k-1}"`, a chain: its first file's instances build on the last file of
library k-1 through `lib{k-1}.p...`), and `main.kcl` imports every library and uses a schema, a
function and exports of each (`libNN.PoolAxB { ... }`, `libNN.doubleAxB(...)`, `libNN.pAxB.size`).
--edit picks the file the rounds edit, complete in and hover in:
  root  `main.kcl` (the only open document): the libraries do not change, so a server that
        reuses the checked results of unchanged imported modules re-checks the root module only;
  lib   the first file of the last library (the one that imports its predecessor), opened
        together with `main.kcl`: nothing imports the last library but the root module, so an
        edit must re-check that library and the root module and can reuse the other K-1
        libraries. The diagnostics time runs until both the edited file's and `main.kcl`'s
        diagnostics have arrived (the server publishes the changed module first, then its
        importers).
The opened documents must check without diagnostics, or the script stops.

Each round edits the file (changes a literal, incrementally, as an editor does), then measures:
  diagnostics  from sending didChange to receiving publishDiagnostics for that version (with
               `--sync`, so no debounce is counted: the threaded mode adds its 150 ms debounce);
  completion   a request inside the instance name of a field access `pNxM.size` (names in scope);
  hover        a request on the field name of that access.

--keep DIR writes the workspace to DIR (created if missing) and leaves it there, for instance to
run `kc check DIR` on it; otherwise it lives in a temporary directory.

  bench/lsp.py [--kc build/default/cli/kc] [--files 20] [--rounds 40] [--libs 0] [--edit root|lib]
               [--keep DIR]
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


def file_text(f, prev, head=(), tail=()):
    """File number f. `prev` prefixes the instances the file's instances build on (`p3` for
    `p3x0` ..., `lib01.p7` through an import), None for none; `head` follows the header comment
    (imports), `tail` ends the file."""
    out = [f"## File {f} of the benchmark workspace.", ""] + list(head)
    for s in range(SCHEMAS_PER_FILE):
        name = f"Pool{f}x{s}"
        out += [f"## A pool of machines, number {s} of file {f}.", f"schema {name} {{",
                "  ## How many machines.", "  size: int = 3", "  zone: string = \"a\"",
                "  labels: {string: string} = {}", "  cpu: int = 2", "  memory: bytes = 4Gi",
                "  ## Whether the pool takes work.", "  schedulable: bool = true", "}", ""]
        size = f"{prev}x{s}.size + 1" if prev else "1"
        out += [f"let base{f}x{s} = {s} + {f}",
                f"p{f}x{s} = {name} {{", f"  size = {size}", f"  zone = \"z{s % 3}\"",
                f"  labels = {{\"team\" = \"t{s}\", \"file\" = \"f{f}\"}}",
                f"  cpu = base{f}x{s} % 8 + 1", "}", ""]
        out += [f"fn double{f}x{s}(x: int) -> int = x * 2",
                f"total{f}x{s} = double{f}x{s}(p{f}x{s}.size) + p{f}x{s}.cpu", ""]
        out += [f"# padding line {k} of pool {s}" for k in range(18)] + [""]
    return "\n".join(out + list(tail)) + "\n"


def uses_of_library(k, h):
    """Lines of `main.kcl` that use library k's schema, function and exports of its file h."""
    lib = f"lib{k:02d}"
    return [f"## What the root module uses of library {k}.",
            f"use{k:02d} = {lib}.Pool{h}x0 {{",
            f"  size = {lib}.double{h}x0({lib}.p{h}x0.size)", f"  zone = {lib}.p{h}x0.zone", "}",
            f"sum{k:02d} = {lib}.total{h}x0 + use{k:02d}.cpu", ""]


def workspace(files, libs, edit):
    """The files as [(number, relative path, text)], the path the rounds edit, the paths to open
    (the edited one first) and a description of the layout (None for the single module)."""
    if libs == 0:
        texts = [(f, f"f{f:02d}.kcl", file_text(f, f"p{f - 1}" if f > 0 else None))
                 for f in range(files)]
        return texts, "f00.kcl", ["f00.kcl"], None
    if files < libs + 1:
        sys.exit(f"--libs {libs} needs at least {libs + 1} --files (one per module)")
    # The root module gets an equal share; the libraries split the rest as evenly as they can.
    root_files = max(1, files // (libs + 1))
    lib_files = files - root_files
    sizes = [lib_files // libs + (1 if k < lib_files % libs else 0) for k in range(libs)]
    texts, last, f = [], [], 0
    for k in range(libs):
        for i in range(sizes[k]):
            head, prev = [], f"p{f - 1}"
            if i == 0:
                head = [f'import "../lib{k - 1:02d}"', ""] if k > 0 else []
                prev = f"lib{k - 1:02d}.p{last[k - 1]}" if k > 0 else None
            texts.append((f, f"lib{k:02d}/f{f:02d}.kcl", file_text(f, prev, head)))
            f += 1
        last.append(f - 1)
    for i in range(root_files):
        if i == 0:
            head = [f'import "./lib{k:02d}"' for k in range(libs)] + [""]
            tail = [line for k in range(libs) for line in uses_of_library(k, last[k])]
            texts.append((f, "main.kcl", file_text(f, f"lib{libs - 1:02d}.p{last[-1]}", head,
                                                    tail)))
        else:
            texts.append((f, f"f{f:02d}.kcl", file_text(f, f"p{f - 1}")))
        f += 1
    first_of_last = next(path for _, path, _ in texts if path.startswith(f"lib{libs - 1:02d}/"))
    edited = "main.kcl" if edit == "root" else first_of_last
    opened = [edited] if edit == "root" else [edited, "main.kcl"]
    layout = (f"{libs} libraries lib00..lib{libs - 1:02d} (a chain, {'/'.join(map(str, sizes))}"
              f" files) + root module ({root_files} files, main.kcl imports all); edit {edited}"
              f", open {', '.join(opened)}")
    return texts, edited, opened, layout


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
    parser.add_argument("--libs", type=int, default=0,
                        help="library modules to spread the files over (0: one module)")
    parser.add_argument("--edit", choices=("root", "lib"), default="root",
                        help="with --libs: edit main.kcl, or the last library's first file")
    parser.add_argument("--keep", metavar="DIR", help="write the workspace to DIR and keep it")
    opts = parser.parse_args()
    if opts.libs < 0:
        sys.exit("--libs must be 0 or more")
    if opts.libs == 0 and opts.edit != "root":
        sys.exit("--edit lib needs --libs K with K > 0")
    kc = os.path.abspath(opts.kc)
    texts, edited, opened, layout = workspace(opts.files, opts.libs, opts.edit)
    if opts.keep:
        os.makedirs(opts.keep, exist_ok=True)
        run(kc, os.path.abspath(opts.keep), opts, texts, edited, opened, layout)
    else:
        with tempfile.TemporaryDirectory(prefix="kc-bench-lsp-") as root:
            run(kc, root, opts, texts, edited, opened, layout)


def run(kc, root, opts, texts, edited, opened, layout):
    by_path = {}
    for f, path, text in texts:
        by_path[path] = (f, text)
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with open(os.path.join(root, path), "w") as out:
            out.write(text)
    lines = sum(text.count("\n") for _, _, text in texts)
    client = Client(kc, root)
    client.request("initialize", {"processId": None, "rootUri": f"file://{root}",
                                  "capabilities": {}})
    client.notify("initialized", {})
    uri = lambda path: f"file://{root}/{path}"  # noqa: E731
    start = time.perf_counter()
    for path in opened:
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri(path), "languageId": "kcl", "version": 1, "text": by_path[path][1]}})
        first = client.wait_diagnostics(uri(path), 1)
        if first:
            sys.exit(f"the workspace has diagnostics in {path}: {first[:3]}")
    open_s = time.perf_counter() - start
    # Where to edit, complete and hover in the edited file (number f): the literal `3 + f` of
    # basefx1 and the `pfx2.size` field access in totalfx2 (completion inside `pfx2`, hover on
    # `size`).
    f, text = by_path[edited]
    lines0 = text.split("\n")
    edit_prefix = f"let base{f}x1 = "
    edit_line = next(i for i, l in enumerate(lines0) if l.startswith(edit_prefix))
    hover_line = next(i for i, l in enumerate(lines0) if l.startswith(f"total{f}x2 = "))
    access = lines0[hover_line].index(f"p{f}x2.size")
    hover_col = access + len(f"p{f}x2.") + 1
    comp_col = access + len(f"p{f}")
    # Every other opened document is in a module importing the edited one: the server publishes
    # its diagnostics (same version, it does not change) after the edited file's.
    importers = opened[1:]
    diag, comp, hov = [], [], []
    version = 1
    for r in range(opts.rounds):
        version += 1
        value = str(10 + r)
        col = len(edit_prefix)
        old_len = len(lines0[edit_line]) - col
        lines0[edit_line] = lines0[edit_line][:col] + value
        t = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri(edited), "version": version},
            "contentChanges": [{"range": {"start": {"line": edit_line, "character": col},
                                          "end": {"line": edit_line,
                                                  "character": col + old_len}},
                                "text": value}]})
        client.wait_diagnostics(uri(edited), version)
        for path in importers:
            client.wait_diagnostics(uri(path), 1)
        diag.append(time.perf_counter() - t)
        t = time.perf_counter()
        result = client.request("textDocument/completion", {
            "textDocument": {"uri": uri(edited)},
            "position": {"line": hover_line, "character": comp_col}})
        comp.append(time.perf_counter() - t)
        if not result.get("result", {}).get("items"):
            sys.exit(f"completion returned nothing: {result}")
        t = time.perf_counter()
        result = client.request("textDocument/hover", {
            "textDocument": {"uri": uri(edited)},
            "position": {"line": hover_line, "character": hover_col}})
        hov.append(time.perf_counter() - t)
        if not result.get("result"):
            sys.exit(f"hover returned nothing: {result}")
    rss = peak_rss_mib(client.proc.pid)
    client.request("shutdown", None)
    client.notify("exit", None)
    client.proc.wait(timeout=30)
    if layout is None:
        print(f"workspace: {opts.files} files, {lines} lines; "
              f"open to first diagnostics {open_s * 1000:.0f} ms")
    else:
        print(f"workspace: {opts.files} files, {lines} lines in {layout}; "
              f"open to first diagnostics {open_s * 1000:.0f} ms")
    print(f"{'request':<12} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values in (("diagnostics", diag), ("completion", comp), ("hover", hov)):
        print(f"{name:<12} {pct(values, 50):>8.1f} {pct(values, 95):>8.1f}")
    print(f"peak RSS {rss:.0f} MiB")
    if opts.keep:
        print(f"workspace kept in {os.path.abspath(opts.keep)}")


if __name__ == "__main__":
    main()
