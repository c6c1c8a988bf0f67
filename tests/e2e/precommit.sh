#!/usr/bin/env bash
# The hooks of .pre-commit-hooks.yaml under a real `pre-commit` (Debian package `pre-commit`), in a
# temporary repository: `try-repo` of this source tree (its working tree, uncommitted edits
# included) for kc-fmt and kc-lint, then a `git commit` through installed hooks with `args`.
set -euo pipefail
kc=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
src=$(realpath "$(dirname "$0")/../..")
command -v pre-commit >/dev/null || { echo "FAIL pre-commit is not installed (make deps)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NO_COLOR=1
PATH="$(dirname "$kc"):$PATH"  # the hooks run the `kc` found on PATH
export PRE_COMMIT_HOME="$work/cache"  # pre-commit's clones of the hook repository
export GIT_ALLOW_PROTOCOL=file        # local clones only: nothing may reach the network
# A git configuration of our own: the user's (a global core.hooksPath, say) must not change the
# outcome, and the source tree may belong to another user than the one running the test.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$work/gitconfig"
printf '[safe]\n\tdirectory = *\n[init]\n\tdefaultBranch = main\n' >"$GIT_CONFIG_GLOBAL"

# status NAME HOOK_NAME STATUS: the last run's output has pre-commit's "HOOK_NAME....STATUS" line.
status() {
  if grep -Eq "^$2\.+$3\$" <<<"$out"; then pass "$1"
  else fail "$1: no '$2....$3' line" "${out:-(no output)}"; fi
}

mkdir "$work/repo"
cd "$work/repo"
git init -q
git config user.name "kc e2e"
git config user.email "kc-e2e@example.invalid"

# --- kc-fmt: rewrites an unformatted file and fails, then passes.
printf 'let   zones=["a","b"]\nregion   =   "lab"\nn = len(zones)\n' >main.kcl
want=$("$kc" fmt - <main.kcl)
git add main.kcl
run "kc-fmt fails on an unformatted file" 1 pre-commit try-repo "$src" kc-fmt --all-files
status "kc-fmt failed" "kc fmt" Failed
contains "kc-fmt reports the rewrite" "files were modified by this hook"
if [ "$(cat main.kcl)" = "$want" ]; then pass "kc-fmt wrote what kc fmt prints"
else fail "kc-fmt left main.kcl as" "$(cat main.kcl) "; fi
git add main.kcl
run "kc-fmt passes on a formatted file" 0 pre-commit try-repo "$src" kc-fmt --all-files
status "kc-fmt passed" "kc fmt" Passed

# --- kc-lint: fails on a finding the configuration raises to error, passes when it is gone.
printf 'rules:\n  unused-let: error\n' >.kc-lint.yaml
printf 'let spare = 3\nregion = "lab"\n' >main.kcl
git add -A
run "kc-lint fails on an error-level finding" 1 pre-commit try-repo "$src" kc-lint --all-files
status "kc-lint failed" "kc lint" Failed
contains "kc-lint shows the finding" "error[unused-let]: \`spare\` is never read"
contains "kc-lint points at the file" "main.kcl:1:5"
printf 'region = "lab"\n' >main.kcl
git add -A
run "kc-lint passes on a clean module" 0 pre-commit try-repo "$src" kc-lint --all-files
status "kc-lint passed" "kc lint" Passed
rm .kc-lint.yaml
printf 'let spare = 3\nregion = "lab"\n' >main.kcl
git add -A
run "a warning does not fail kc-lint" 0 pre-commit try-repo "$src" kc-lint --all-files --verbose
contains "--verbose shows the warning of the passing hook" "warning[unused-let]"

# --- A repository that uses the hooks as docs/lint/README.md shows: installed hooks run on
# `git commit`, and kc-lint lints the module its `args` name. pre-commit reads the manifest from a
# commit, so this one is a copy of the working tree's .pre-commit-hooks.yaml.
mkdir "$work/hooks"
cp "$src/.pre-commit-hooks.yaml" "$work/hooks/"
git -C "$work/hooks" init -q
git -C "$work/hooks" add .pre-commit-hooks.yaml
git -C "$work/hooks" -c user.name=kc -c user.email=kc@example.invalid commit -q -m hooks
rev=$(git -C "$work/hooks" rev-parse HEAD)

mkdir "$work/project"
cd "$work/project"
git init -q
git config user.name "kc e2e"
git config user.email "kc-e2e@example.invalid"
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $work/hooks
    rev: $rev
    hooks:
      - id: kc-fmt
      - id: kc-lint
        args: [clusters/prod]
YAML
printf 'rules:\n  unused-let: error\n' >.kc-lint.yaml
mkdir -p clusters/prod
printf 'let spare = 3\nregion = "lab"\n' >clusters/prod/main.kcl
run "pre-commit install" 0 pre-commit install
git add -A
run "a commit with an error-level finding is refused" 1 git commit -m "add prod"
contains "the commit shows the finding" "error[unused-let]"
contains "in the module that args name" "clusters/prod/main.kcl:1:5"
if git rev-parse -q --verify HEAD >/dev/null; then
  fail "a commit was made despite the error" "$(git log --oneline)"
else pass "nothing was committed"; fi
printf 'region = "lab"\n' >clusters/prod/main.kcl
git add -A
run "the clean module commits" 0 git commit -m "add prod"
status "kc-fmt ran on the commit" "kc fmt" Passed
status "kc-lint ran on the commit" "kc lint" Passed
if [ "$(git log --format=%s 2>/dev/null)" = "add prod" ]; then pass "the commit was made"
else fail "the commit was not made" "$(git status --short) "; fi

finish
