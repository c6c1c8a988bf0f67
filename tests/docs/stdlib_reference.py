#!/usr/bin/env python3
"""Generates the reference sections of docs/stdlib.md from stdlib/std/*.kcl, and checks them.

The reference of a module is made from its source: the module's doc comment, then every type
alias (with its checks), enum (with its members' doc comments), schema (a table of fields with
type, default and doc comment; documented lets; checks) and function (signature and doc
comment), in the order of the source. With --kc, each schema's fields, types, required-ness and
annotations are also compared with `kc check --dump=types`, so a misread field fails loudly.

docs/stdlib.md holds, for each module, a block between the lines

  <!-- generated from stdlib/std/NAME.kcl by tests/docs/stdlib_reference.py: do not edit -->
  <!-- end of generated reference -->

  stdlib_reference.py --update [--kc PATH]   rewrite those blocks in docs/stdlib.md
  stdlib_reference.py [--kc PATH]            exit 1 (with a diff) when a block is out of date

The stdlib files are in `kc fmt` layout, which this reader relies on: one declaration, field,
member or check per line (a check's message may continue on the next line), closing braces alone
on their line.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STDLIB = os.path.join(ROOT, "stdlib", "std")
DOC = os.path.join(ROOT, "docs", "stdlib.md")
MODULES = ["cluster", "net", "semver", "k8s"]
BEGIN = "<!-- generated from stdlib/std/{name}.kcl by tests/docs/stdlib_reference.py: do not edit -->"
END = "<!-- end of generated reference -->"


class Decl:
    def __init__(self, kind, name, doc):
        self.kind, self.name, self.doc = kind, name, doc
        self.header = ""      # type alias: the aliased type; schema: parent; fn: signature
        self.fields = []      # (name, type, default or None, annotations, doc)
        self.lets = []        # (name, doc), documented lets only
        self.checks = []      # (condition, message)
        self.members = []     # (name, doc)


def strip_comment(line):
    """The line without a trailing `#` comment (outside strings)."""
    in_string = False
    for i, c in enumerate(line):
        if c == '"' and (i == 0 or line[i - 1] != "\\"):
            in_string = not in_string
        elif c == "#" and not in_string:
            return line[:i].rstrip()
    return line.rstrip()


def split_default(rest):
    """`Type = default` -> (Type, default or None), splitting at the first `=` outside brackets."""
    depth = 0
    in_string = False
    for i, c in enumerate(rest):
        if c == '"':
            in_string = not in_string
        elif in_string:
            continue
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "=" and depth == 0 and rest[i + 1:i + 2] != ">":
            return rest[:i].strip(), rest[i + 1:].strip()
    return rest.strip(), None


def parse_checks(lines, i, decl):
    """Reads a `check { ... }` block starting at lines[i]; returns the index after it."""
    line = strip_comment(lines[i]).strip()
    if line.endswith("}") and line != "}":  # one-line block
        inner = line[line.index("{") + 1:-1].strip()
        decl.checks.append(split_check(inner))
        return i + 1
    i += 1
    pending = ""
    while strip_comment(lines[i]).strip() != "}":
        text = strip_comment(lines[i]).strip()
        pending = (pending + " " + text).strip() if pending else text
        if pending and not pending.endswith(":"):
            decl.checks.append(split_check(pending))
            pending = ""
        i += 1
    return i + 1


def split_check(text):
    m = re.match(r'^(.*?)\s+:\s+(".*")$', text)
    if not m:
        raise ValueError(f"cannot read check line: {text}")
    return m.group(1).strip(), m.group(2)[1:-1]


def parse(path):
    """(module doc, [Decl]) of a standard-library file."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    module_doc = []
    while i < len(lines) and lines[i].startswith("##"):
        module_doc.append(lines[i][2:].strip())
        i += 1
    decls = []
    doc = []
    while i < len(lines):
        line = lines[i]
        if line.startswith("##"):
            doc.append(line[2:].strip())
            i += 1
            continue
        if not line.strip() or line.startswith("#") or line.startswith("import "):
            doc = [] if not line.strip() else doc
            i += 1
            continue
        m = re.match(r"^(type|enum|schema|fn)\s+([A-Za-z_][A-Za-z0-9_]*)", line)
        if not m:
            doc = []
            i += 1
            continue
        decl = Decl(m.group(1), m.group(2), " ".join(doc))
        doc = []
        decls.append(decl)
        if decl.kind == "type":
            i = parse_type(lines, i, decl)
        elif decl.kind == "enum":
            i = parse_enum(lines, i, decl)
        elif decl.kind == "schema":
            i = parse_schema(lines, i, decl)
        else:
            i = parse_fn(lines, i, decl)
    return " ".join(module_doc), decls


def parse_type(lines, i, decl):
    line = strip_comment(lines[i])
    rest = line.split("=", 1)[1].strip()
    if rest.endswith("{") and " check " in " " + rest:
        decl.header = rest[:rest.rindex("check")].strip()
        return parse_checks(lines, i, decl)
    decl.header = rest
    return i + 1


def parse_enum(lines, i, decl):
    line = strip_comment(lines[i])
    if line.endswith("}"):
        inner = line[line.index("{") + 1:-1]
        decl.members = [(m.strip(), "") for m in inner.split(",") if m.strip()]
        return i + 1
    i += 1
    doc = []
    while lines[i].strip() != "}":
        text = lines[i].strip()
        if text.startswith("##"):
            doc.append(text[2:].strip())
        elif text and not text.startswith("#"):
            for member in strip_comment(text).split(","):
                if member.strip():
                    decl.members.append((member.strip(), " ".join(doc)))
            doc = []
        i += 1
    return i + 1


def parse_schema(lines, i, decl):
    m = re.match(r"^schema\s+\w+(?:\s+extends\s+(\w+))?\s*\{(.*)$", strip_comment(lines[i]))
    decl.header = m.group(1) or ""
    if m.group(2).strip():
        raise ValueError(f"{decl.name}: one-line schemas are not read")
    i += 1
    doc = []
    while lines[i] != "}":
        text = lines[i].strip()
        code = strip_comment(lines[i]).strip()
        if text.startswith("##"):
            doc.append(text[2:].strip())
            i += 1
            continue
        if not text or text.startswith("#"):
            doc = []
            i += 1
            continue
        if code.startswith("check ") or code == "check {":
            i = parse_checks(lines, i, decl)
            doc = []
            continue
        if code.startswith("let "):
            name = re.match(r"let\s+(\w+)", code).group(1)
            if doc:
                decl.lets.append((name, " ".join(doc)))
            doc = []
            i = skip_expression(lines, i)
            continue
        annotations = []
        while code.startswith("@"):
            a = re.match(r'^(@\w+(?:\("(?:[^"\\]|\\.)*"\))?)\s*', code)
            annotations.append(a.group(1))
            code = code[a.end():]
        fm = re.match(r"^(\w+)\s*:\s*(.*)$", code)
        if not fm:
            raise ValueError(f"{decl.name}: cannot read field line: {lines[i]}")
        type_text, default = split_default(fm.group(2))
        decl.fields.append((fm.group(1), type_text, default, annotations, " ".join(doc)))
        doc = []
        i = skip_expression(lines, i)
    return i + 1


def skip_expression(lines, i):
    """The index after the item starting at lines[i], which may span lines (brackets open)."""
    depth = 0
    while True:
        code = strip_comment(lines[i])
        code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', code)
        depth += sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
        i += 1
        nxt = lines[i].strip() if i < len(lines) else "}"
        # An expression continues after an open bracket or an operator at the end of the line.
        if depth > 0 or re.search(r"(=|\+|\|\||&&|,|\bthen|\belse)$", code.rstrip()) or \
                nxt.startswith("else") or nxt.startswith("then"):
            continue
        return i


def parse_fn(lines, i, decl):
    text = ""
    while True:
        text += " " + strip_comment(lines[i]).strip()
        if re.search(r"\)\s*(->\s*.*?)?=\s*", text) and text.count("(") == text.count(")"):
            break
        i += 1
    m = re.match(r"^\s*fn\s+(\w+)\s*\((.*)\)\s*(?:->\s*(.*?))?\s*=", text)
    params = [p.strip() for p in m.group(2).split(",") if p.strip()]
    decl.header = f"{m.group(1)}({', '.join(params)})" + (f" -> {m.group(3)}" if m.group(3) else "")
    return skip_expression(lines, i)


def cell(text):
    return text.replace("|", "\\|")


def code(text):
    return "`" + text + "`" if "`" not in text else "`` " + text + " ``"


def render(name):
    """The generated markdown for std/NAME."""
    module_doc, decls = parse(os.path.join(STDLIB, name + ".kcl"))
    out = [module_doc, ""]
    qualifier = "" if name == "cluster" else name + "."
    for d in decls:
        if d.kind == "type":
            out.append(f"#### type `{d.name}`")
            out.append("")
            out.append(f"{d.doc} `{d.name}` is {code(d.header)}" +
                       (", checked:" if d.checks else "."))
            if d.checks:
                out.append("")
                for cond, message in d.checks:
                    out.append(f"- {code(cond)} — {message}")
        elif d.kind == "enum":
            out.append(f"#### enum `{d.name}`")
            out.append("")
            out.append(d.doc)
            out.append("")
            if any(doc for _, doc in d.members):
                out.append("| member | meaning |")
                out.append("|---|---|")
                for member, doc in d.members:
                    out.append(f"| `{member}` | {cell(doc)} |")
            else:
                out.append("Members: " + ", ".join(f"`{m}`" for m, _ in d.members) + ".")
        elif d.kind == "schema":
            title = f"#### schema `{d.name}`" + (f" extends `{d.header}`" if d.header else "")
            out.append(title)
            out.append("")
            out.append(d.doc)
            out.append("")
            out.append("| field | type | default | description |")
            out.append("|---|---|---|---|")
            for fname, ftype, default, annotations, doc in d.fields:
                if default is not None:
                    dflt = code(default)
                elif ftype.endswith("?"):
                    dflt = "`null`"
                else:
                    dflt = "required"
                notes = " ".join(code(a) for a in annotations)
                desc = " ".join(x for x in [notes, doc] if x)
                out.append(f"| `{fname}` | {cell(code(ftype))} | {cell(dflt)} | {cell(desc)} |")
            if d.lets:
                out.append("")
                out.append("Derived values (read-only): " + "; ".join(
                    f"`{n}` — {doc}" for n, doc in d.lets))
            if d.checks:
                out.append("")
                out.append("Checks:")
                out.append("")
                for cond, message in d.checks:
                    out.append(f"- {code(cond)} — {message}")
        else:
            out.append(f"#### `{qualifier}{d.header}`")
            out.append("")
            out.append(d.doc)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def verify_with_kc(kc, name):
    """Problems where the parsed schemas disagree with `kc check --dump=types`."""
    path = os.path.join(STDLIB, name + ".kcl")
    p = subprocess.run([kc, "check", "--dump=types", os.path.relpath(path, ROOT)], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    dumped = {}
    current = None
    for line in p.stdout.split("\n"):
        m = re.match(r"^  schema (\w+):", line)
        if m:
            current = dumped.setdefault(m.group(1), [])
            continue
        if not line.startswith("    "):
            current = None
        m = re.match(r"^    field (\w+): (.*?)( \(required\))?((?: @\w+)*)$", line)
        if m and current is not None:
            current.append((m.group(1), m.group(2), bool(m.group(3)),
                            sorted(m.group(4).split())))
    problems = []
    _, decls = parse(path)
    schemas = {d.name: d for d in decls if d.kind == "schema"}
    for sname, fields in dumped.items():
        if sname not in schemas:
            problems.append(f"std/{name}: kc has schema {sname}, the reader did not find it")
            continue
        d = schemas[sname]
        parent = schemas.get(d.header)
        mine = list(parent.fields) if parent else []
        for f in d.fields:
            mine = [x for x in mine if x[0] != f[0]] + [f]
        read = [(f[0], f[1], f[2] is None and not f[1].endswith("?"),
                 sorted(re.sub(r"\(.*", "", a) for a in f[3])) for f in mine]
        if sorted(read) != sorted(fields):
            problems.append(f"std/{name}: schema {sname}: the reader saw {read}, kc has {fields}")
    return problems


def current_doc():
    with open(DOC, encoding="utf-8") as f:
        return f.read()


def regenerate(text):
    """docs/stdlib.md's text with every generated block replaced by a fresh one."""
    for name in MODULES:
        begin = BEGIN.format(name=name)
        start = text.find(begin)
        if start < 0:
            raise ValueError(f"docs/stdlib.md has no line `{begin}`")
        end = text.find(END, start)
        if end < 0:
            raise ValueError(f"docs/stdlib.md: the block of std/{name} has no end line")
        text = text[:start] + begin + "\n\n" + render(name) + "\n" + text[end:]
    return text


def check(kc=None):
    """'' when docs/stdlib.md is current, else what is wrong (a diff or the problems)."""
    problems = []
    if kc:
        for name in MODULES:
            problems += verify_with_kc(kc, name)
    text = current_doc()
    try:
        fresh = regenerate(text)
    except ValueError as e:
        return "\n".join(problems + [str(e)])
    if fresh != text:
        problems.append("".join(difflib.unified_diff(text.splitlines(True), fresh.splitlines(True),
                                                     "docs/stdlib.md", "generated")))
    return "\n".join(problems)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--kc", help="also compare the schemas with `kc check --dump=types`")
    opts = parser.parse_args()
    kc = os.path.abspath(opts.kc) if opts.kc else None
    if opts.update:
        if kc:
            problems = [p for name in MODULES for p in verify_with_kc(kc, name)]
            if problems:
                print("\n".join(problems))
                return 1
        text = current_doc()
        with open(DOC, "w", encoding="utf-8") as f:
            f.write(regenerate(text))
        return 0
    problems = check(kc)
    if problems:
        print(problems)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
