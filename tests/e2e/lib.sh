# Helpers for end-to-end tests that drive the real `kc` binary. Source it; call `finish` last.
# Every check prints PASS/FAIL; `finish` prints the closing "N passed, N failed" line and sets the
# exit status.
passed=0
failed=0

# Makes a temporary directory `$work`, removed when the script exits, and enters it; output is
# plain text (no colour) for the checks.
enter_workdir() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cd "$work"
  export NO_COLOR=1
}

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() {
  failed=$((failed + 1))
  echo "FAIL $1"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | sed 's/^/    /'; fi
  return 0  # a check that fails must not end a `set -e` script before `finish` reports
}

# run NAME EXPECTED_EXIT CMD...: runs CMD, keeps its output in $out, checks the exit code.
run() {
  local name=$1 want=$2
  shift 2
  set +e
  out=$("$@" 2>&1)
  local code=$?
  set -e
  if [ "$code" -eq "$want" ]; then pass "$name (exit $code)"; else fail "$name: exit $code, want $want" "$out"; fi
}

# contains NAME TEXT: the last run's output contains TEXT.
contains() {
  if grep -qF -- "$2" <<<"$out"; then pass "$1"; else fail "$1: output lacks '$2'" "$out"; fi
}

# equals NAME TEXT: the last run's whole output is TEXT.
equals() {
  if [ "$out" = "$2" ]; then pass "$1"; else fail "$1: output is not '$2'" "$out"; fi
}

lacks() {
  if grep -qF -- "$2" <<<"$out"; then fail "$1: output has '$2'" "$out"; else pass "$1"; fi
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
