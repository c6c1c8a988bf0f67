#!/usr/bin/env bash
# End to end: Ctrl-C during `kc apply`. A first SIGINT starts nothing new, waits for the running
# steps, records and saves them and exits 1; a second SIGINT stops waiting (the running creates
# stay pending in the state). Either way the state loads afterwards and the next apply converges.
set -euo pipefail
kc=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
background=()
cleanup() {
  for pid in "${background[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export NO_COLOR=1

# module DIR LATENCY: 40 independent machines, each create taking LATENCY.
module() {
  mkdir -p "$1"
  cat >"$1/main.kcl" <<KCL
provider sim { latency = $2 }

machines = [
  for i in range(40): resource sim.machine "m-\${i}" {
    cpu    = 1
    memory = 1Gi
    zone   = "a"
  }
]
KCL
}

# wait_for TEXT FILE: until FILE contains TEXT (at most 30s).
wait_for() {
  for _ in $(seq 300); do
    if grep -qF -- "$1" "$2" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# start_apply DIR: `kc apply` in the background (4 steps at a time), output in DIR.out.
start_apply() {
  (cd "$1" && exec "$kc" apply --auto-approve --parallelism 4 >"$1.out" 2>&1) &
  pid=$!
  background+=("$pid")
}

# wait_exit WANT DIR NAME: waits for $pid, checks its exit code; DIR.out goes to $out.
wait_exit() {
  set +e
  wait "$pid"
  local code=$?
  set -e
  out=$(cat "$2.out")
  if [ "$code" -eq "$1" ]; then pass "$3 (exit $code)"; else fail "$3: exit $code, want $1" "$out"; fi
}

# --- one SIGINT: the running steps finish and are recorded, nothing else starts.
one="$work/one"
module "$one" 300ms
start_apply "$one"
if wait_for "Creating..." "$one.out"; then pass "apply started"; else fail "apply never started" "$(cat "$one.out")"; fi
sleep 0.8
kill -INT "$pid"
wait_exit 1 "$one" "interrupted apply fails"
contains "the interrupt is reported" "Interrupted: no new step starts"
contains "steps not started are listed" "(not started: the apply stopped)"
contains "the summary says it failed" "Apply failed! Resources:"
lacks "no step was abandoned" "Abandoned while running"
created=$(grep -c "Creation complete" <<<"$out" || true)
if [ "$created" -gt 0 ] && [ "$created" -lt 40 ]; then
  pass "some but not all machines were created ($created)"
else
  fail "created $created of 40 before the interrupt took effect" "$out"
fi
cd "$one"
run "the state loads" 0 "$kc" state list
listed=$(grep -c 'sim.machine' <<<"$out" || true)
if [ "$listed" -eq "$created" ]; then pass "every finished create is in the state"; else
  fail "state lists $listed machines, $created were created" "$out"; fi
run "the next apply converges" 0 "$kc" apply --auto-approve
contains "it creates the rest" "$((40 - created)) created"
run "nothing left to do" 0 "$kc" plan --detailed-exitcode

# --- two SIGINTs: the second one stops waiting for the running creates.
two="$work/two"
module "$two" 3s
start_apply "$two"
if wait_for "Creating..." "$two.out"; then pass "second apply started"; else fail "second apply never started" "$(cat "$two.out")"; fi
sleep 0.3
kill -INT "$pid"
wait_for "Interrupted: no new step starts" "$two.out" || true
kill -INT "$pid"
began=$SECONDS
wait_exit 1 "$two" "twice interrupted apply fails"
if [ $((SECONDS - began)) -lt 3 ]; then pass "it did not wait for the 3s creates"; else
  fail "it waited $((SECONDS - began))s after the second interrupt" "$out"; fi
contains "running steps are abandoned" "Abandoned while running; its outcome is unknown"
cd "$two"
run "the state loads after abandoning" 0 "$kc" state list
run "the next apply converges after abandoning" 0 "$kc" apply --auto-approve
run "nothing left to do after abandoning" 0 "$kc" plan --detailed-exitcode

# --- a provider block's `timeout`: a step still running then fails; its create stays pending.
slow="$work/slow"
mkdir -p "$slow"
cat >"$slow/main.kcl" <<'KCL'
provider sim {
  latency = 3s
  timeout = 1s
}

a = resource sim.machine a {
  cpu    = 1
  memory = 1Gi
  zone   = "a"
}
KCL
cd "$slow"
began=$SECONDS
run "a step past its timeout fails the apply" 1 "$kc" apply --auto-approve
contains "the timeout is reported" 'did not finish within 1s'
if [ $((SECONDS - began)) -lt 3 ]; then pass "it did not wait for the 3s create"; else
  fail "the timed-out apply took $((SECONDS - began))s" "$out"; fi
run "the state loads after a timeout" 0 "$kc" state list
contains "the create is pending" 'sim.machine["a"] (pending create)'

finish
