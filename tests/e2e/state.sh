#!/usr/bin/env bash
# End to end: state locking (concurrent applies, --lock-timeout, a killed holder, `kc state unlock`)
# and the `kc state` and `kc output` commands on an applied module with secrets.
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

# wait_for_lock DIR: until DIR/.kc/state.lock holds a holder's information (at most 20s).
wait_for_lock() {
  for _ in $(seq 200); do
    if grep -q '"id"' "$1/.kc/state.lock" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# A slow module: three machines in a chain, each create taking 300ms.
slow_module() {  # slow_module DIR CPU [LATENCY]
  mkdir -p "$1"
  cat >"$1/main.kcl" <<KCL
provider sim { latency = ${3:-300ms} }

a = resource sim.machine a {
  cpu    = $2
  memory = 4Gi
  zone   = "z1"
}
b = resource sim.machine b {
  cpu    = $2
  memory = 4Gi
  zone   = a.zone
}
c = resource sim.machine c {
  cpu    = $2
  memory = 4Gi
  zone   = b.zone
}
KCL
}

# ---- Two concurrent applies: exactly one applies, the other names the holder ----
slow_module "$work/race" 2
cd "$work/race"
"$kc" apply --auto-approve >one.out 2>&1 &
p1=$!
"$kc" apply --auto-approve >two.out 2>&1 &
p2=$!
set +e
wait $p1; c1=$?
wait $p2; c2=$?
set -e
if [ $c1 -eq 0 ]; then winner=$p1 win=one.out lose=two.out lc=$c2; else winner=$p2 win=two.out lose=one.out lc=$c1; fi
if [ $((c1 + c2)) -eq 1 ]; then pass "exactly one concurrent apply succeeds (exits $c1, $c2)"; else
  fail "exactly one concurrent apply succeeds: exits $c1 and $c2" "$(cat one.out two.out)"; fi
out=$(cat "$win")
contains "the winner applies" "Apply complete! Resources: 3 created"
out=$(cat "$lose")
if [ "$lc" -eq 1 ]; then pass "the loser exits 1"; else fail "the loser exits 1, not $lc" "$out"; fi
contains "the loser reports E0503" "error[E0503]: state"
contains "the loser names the holder's pid and operation" "(pid $winner) running \`kc apply\` since"
contains "the loser says how to wait" "--lock-timeout"
contains "the loser says how to unlock" "kc state unlock "
lacks "the loser applies nothing" "Apply complete"
if [ -e .kc/state.lock ]; then fail "the lock file is removed when the run ends"; else
  pass "the lock file is removed when the run ends"; fi

# ---- --lock-timeout waits for the holder, then proceeds ----
# The holder's three creates take about 3s: long enough that the two refused runs below (each a
# full kc start, slow under a sanitizer build) leave it still holding the lock for the waiter.
slow_module "$work/race" 3 1s
"$kc" apply --auto-approve >holder.out 2>&1 &
holder=$!
background+=("$holder")
wait_for_lock "$work/race" || fail "the holder takes the lock"
run "plan refuses at once while apply holds the lock" 1 "$kc" plan
contains "plan names the holder" "(pid $holder) running \`kc apply\`"
run "a bad --lock-timeout is a flag error" 1 "$kc" plan --lock-timeout soon
contains "the flag error says how to write it" "30s"
run "apply --lock-timeout 30s waits and then succeeds" 0 "$kc" apply --auto-approve --lock-timeout 30s
lacks "the waiting run reports no lock" "E0503"
contains "the waiting run says whom it waits for" "Waiting up to 30s for the state lock: state"
contains "... naming the holder's pid" "(pid $holder)"
contains "the waiting run sees the holder's changes" "No changes"
wait "$holder"
out=$(cat holder.out)
contains "the holder applied the update" "Apply complete! Resources: 0 created, 3 updated"

# ---- A holder killed with SIGKILL does not block the next run ----
slow_module "$work/race" 4
"$kc" apply --auto-approve >killed.out 2>&1 &
victim=$!
background+=("$victim")
wait_for_lock "$work/race" || fail "the victim takes the lock"
kill -9 "$victim"
wait "$victim" 2>/dev/null || true
if [ -e .kc/state.lock ]; then pass "the killed run leaves its lock file behind"; else
  fail "the killed run leaves its lock file behind"; fi
run "the next apply is not blocked by the dead holder" 0 "$kc" apply --auto-approve
lacks "no E0503 after the holder died" "E0503"
contains "the next apply completes" "Apply complete!"

# ---- kc state unlock: wrong ID refused, right ID breaks a stuck holder's lock ----
slow_module "$work/stuck" 2 60s
cd "$work/stuck"
"$kc" apply --auto-approve >stuck.out 2>&1 &
stuck=$!
background+=("$stuck")
wait_for_lock "$work/stuck" || fail "the stuck run takes the lock"
id=$(sed -n 's/.*"id": "\([0-9a-f]*\)".*/\1/p' .kc/state.lock)
run "unlock with a wrong ID is refused" 1 "$kc" state unlock 0123456789abcdef
contains "the refusal names the holder" "(pid $stuck) running \`kc apply\`"
contains "the refusal says the ID does not match" "is not the ID of that lock"
run "the lock still holds after a refused unlock" 1 "$kc" plan
contains "plan is still refused" "E0503"
run "unlock with the right ID" 0 "$kc" state unlock "$id"
contains "unlock prints who held it and since when" "Released lock $id, held by"
contains "unlock names the pid and operation" "(pid $stuck) running \`kc apply\` since "
contains "unlock warns that a live holder may still write" "may still write the state"
run "a new run proceeds after the unlock" 0 "$kc" plan
run "unlocking again finds nothing to unlock" 0 "$kc" state unlock "$id"
contains "it says so" "nothing to unlock"
kill -9 "$stuck"
wait "$stuck" 2>/dev/null || true

# ---- kc state and kc output on an applied module with secrets ----
mkdir -p "$work/app"
cd "$work/app"
cat >main.kcl <<'KCL'
schema Secrets {
  @secret zone: string
}
let s = Secrets { zone = "hidden-zone" }

net = resource sim.network main {
  cidr   = 10.0.0.0/16
  region = "r1"
}

web = resource sim.machine web {
  cpu    = 2
  memory = 4Gi
  zone   = s.zone
}

db = resource sim.machine db {
  cpu    = 2
  memory = 4Gi
  zone   = web.zone
}

output web_zone = web.zone
output web_cpu = web.cpu
output web_id = web.id
KCL
run "apply the module" 0 "$kc" apply --auto-approve

run "state list" 0 "$kc" state list
equals "state list prints every address" 'sim.machine["db"]
sim.machine["web"]
sim.network["main"]'
run "state list with a prefix" 0 "$kc" state list sim.machine
equals "only the machines" 'sim.machine["db"]
sim.machine["web"]'
cd "$work"
run "state list --module" 0 "$kc" state list --module app sim.network
equals "finds the module's state" 'sim.network["main"]'
cd "$work/app"

run "state show" 0 "$kc" state show 'sim.machine["db"]'
contains "show prints the type" "type:       sim.machine"
contains "show prints the provider" "provider:   sim"
contains "show prints the status" "status:     ready"
contains "show prints the dependencies" 'depends on: sim.machine["web"]'
contains "show prints attributes" "cpu = 2"
contains "show hides a secret attribute" "zone = (sensitive)"
lacks "show never prints the secret" "hidden-zone"
run "state show of an unknown address" 1 "$kc" state show 'sim.machine["webb"]'
contains "it is E0505" 'error[E0505]: no resource `sim.machine["webb"]` in the state'
contains "with a did-you-mean" 'did you mean `sim.machine["web"]`?'

run "output" 0 "$kc" output
contains "output prints a value" "web_cpu = 2"
contains "output hides a secret output" "web_zone = (sensitive)"
lacks "output never prints the secret" "hidden-zone"
run "output NAME" 0 "$kc" output web_cpu
equals "prints the one value" "2"
run "output NAME of a secret" 0 "$kc" output web_zone
equals "prints it hidden" "(sensitive)"
run "output --json" 0 "$kc" output --json
contains "an object with values" '"web_cpu": 2'
contains "secrets hidden in JSON too" '"web_zone": "(sensitive)"'
lacks "JSON never prints the secret" "hidden-zone"
run "output --json NAME" 0 "$kc" output --json web_id
contains "the one value as JSON" '"m-'
run "output of an unknown name" 1 "$kc" output web_cup
contains "did-you-mean for outputs" 'did you mean `web_cpu`?'

run "state pull" 0 "$kc" state pull
contains "pull prints the state file" '"lineage"'
contains "pull includes secret values (it is the state itself)" '"hidden-zone"'
"$kc" state pull >pulled.json
cp .kc/state.json old.json
serial=$(sed -n 's/^  "serial": \([0-9]*\),$/\1/p' .kc/state.json)

run "state mv" 0 "$kc" state mv 'sim.machine["web"]' 'sim.machine["front"]'
contains "mv says what it did" 'Moved sim.machine["web"] to sim.machine["front"]'
run "state mv onto an existing address" 1 "$kc" state mv 'sim.machine["db"]' 'sim.machine["front"]'
contains "mv refuses it" "already has"
run "state mv to another type" 1 "$kc" state mv 'sim.machine["db"]' 'sim.network["db"]'
run "state show after mv" 0 "$kc" state show 'sim.machine["db"]'
contains "dependencies follow the move" 'depends on: sim.machine["front"]'
run "state show the moved resource" 0 "$kc" state show 'sim.machine["front"]'
if [ -f .kc/state.json.backup ]; then pass "writes keep a backup"; else fail "writes keep a backup"; fi

run "state rm" 0 "$kc" state rm 'sim.network["main"]'
contains "rm says what it did" 'Removed sim.network["main"] from the state'
run "state list after rm" 0 "$kc" state list
lacks "the resource is forgotten" "sim.network"
run "state rm of an unknown address" 1 "$kc" state rm 'sim.machine["db"]' 'sim.machine["fornt"]'
contains "rm names the unknown address" 'no resource `sim.machine["fornt"]`'
contains "rm suggests" 'did you mean `sim.machine["front"]`?'
run "rm is all or nothing" 0 "$kc" state show 'sim.machine["db"]'

run "push an older state is refused" 1 "$kc" state push old.json
contains "push names the serials" "cannot push serial $serial over the stored serial"
sed 's/"lineage": "[^"]*"/"lineage": "00000000-0000-4000-8000-000000000000"/' old.json >other.json
run "push of another lineage is refused" 1 "$kc" state push other.json
contains "push says it is another lineage" "another lineage"
echo '{"format_version": 1, "resources": 7}' >bad.json
run "push of a file that is not a state is refused" 1 "$kc" state push bad.json
contains "it is corrupt state" "E0506"
run "push --force replaces it" 0 "$kc" state push --force old.json
run "the pushed state is in place" 0 "$kc" state list
contains "the forgotten network is back" 'sim.network["main"]'
contains "the old address is back" 'sim.machine["web"]'
new_serial=$(sed -n 's/^  "serial": \([0-9]*\),$/\1/p' .kc/state.json)
if [ "$new_serial" -gt "$serial" ]; then pass "the serial never goes back ($serial -> $new_serial)"; else
  fail "the serial never goes back: $serial -> $new_serial"; fi
"$kc" state pull >current.json
run "push of the current state" 0 "$kc" state push current.json
run "a plan after the round trip sees no changes" 0 "$kc" plan --detailed-exitcode

finish
