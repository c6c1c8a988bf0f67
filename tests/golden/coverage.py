#!/usr/bin/env python3
"""Fails when a diagnostic code registered in compiler/diag/codes.def is produced by no golden test,
or has no `## CODE` section in docs/diagnostics.md.

A code counts as covered when some tests/testdata/**/*.out expectation shows it (`error[E0302]`,
`warning[E0302]`, or `[E0302]` in short form). The exemptions below are codes no golden case can
produce; each names the test that covers it instead.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXEMPT = {
    # A corrupt state file needs a prepared .kc/state.json; tests/unit/state_test.cpp covers it.
    "E0506": "covered by tests/unit/state_test.cpp (corrupt and future-format state files)",
    # A held lock needs a second process holding it while kc runs; a golden case cannot set that up.
    "E0503": "covered by tests/e2e/state.sh (e2e_state: concurrent kc apply) and "
    "tests/unit/state_lock_test.cpp",
    # A stale saved plan needs two commands (plan --out, then apply FILE after the state moved); a
    # golden case runs one.
    "E0502": "covered by tests/e2e/saved_plan.sh (e2e_saved_plan)",
}


def main():
    with open(os.path.join(ROOT, "compiler/diag/codes.def"), encoding="utf-8") as f:
        codes = re.findall(r"^KC_DIAG_CODE\((E\d{4}),", f.read(), re.M)
    seen = set()
    for dirpath, _, files in os.walk(os.path.join(ROOT, "tests/testdata")):
        for name in files:
            if name.endswith(".out"):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    seen.update(re.findall(r"\[(E\d{4})\]", f.read()))
    with open(os.path.join(ROOT, "docs/diagnostics.md"), encoding="utf-8") as f:
        documented = set(re.findall(r"^## (E\d{4})$", f.read(), re.M))
    undocumented = [c for c in codes if c not in documented]
    for c in undocumented:
        print(f"{c} is registered in codes.def but has no section in docs/diagnostics.md")
    missing = [c for c in codes if c not in seen and c not in EXEMPT]
    stale = [c for c in EXEMPT if c not in codes or c in seen]
    for c in missing:
        print(f"{c} is registered in codes.def but no golden test produces it")
    for c in stale:
        print(f"{c} is exempt but is unregistered or already covered: remove the exemption")
    covered = len([c for c in codes if c in seen])
    print(f"diagnostic coverage: {covered} passed, {len(missing) + len(stale) + len(undocumented)} "
          f"failed, {len(EXEMPT)} skipped")
    return 1 if missing or stale or undocumented else 0


if __name__ == "__main__":
    sys.exit(main())
