#!/usr/bin/env bash
# `make demo`: check, plan and apply examples/quickstart with the built-in sim provider, then plan
# again to show that nothing is left to change. The simulated world lives in examples/quickstart/.kc.
set -euo pipefail
kc=${1:-build/default/cli/kc}
example=examples/quickstart

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s$ kc %s%s\n' "$bold" "$*" "$plain"; }

step check $example
"$kc" check $example && echo "ok: no problems found"
step plan $example
"$kc" plan $example
step apply --auto-approve $example
"$kc" apply --auto-approve $example
step plan --detailed-exitcode $example
set +e
"$kc" plan --detailed-exitcode $example
code=$?
set -e
if [ $code -eq 0 ]; then
  echo "demo: the second plan has no changes"
else
  echo "demo: expected no changes after apply (exit $code)" >&2
  exit 1
fi
echo "(run \`$kc destroy --auto-approve $example\` to remove the simulated machines)"
