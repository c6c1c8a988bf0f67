#!/usr/bin/env bash
# End to end: deposed objects. A Kubernetes upgrade of examples/ha-prod on sim replaces each worker
# machine create-before-destroy (max_surge 1): the new machine is made, then the old one drained and
# deleted. With the old machine's drain blocked (`kc sim block-drain`), the apply fails after the
# create; the old machine must not be orphaned: the state keeps it as a deposed object
# (`kc state list`, `kc state show` and `rm` take it as listed), the plan deletes it (`(deposed object KEY)`), and once the drain is unblocked
# the next apply drains and deletes it, the rollout bounds hold (`kc sim check-rollout`), the world
# holds as many machines as the state, and the next plan is empty.
set -euo pipefail
kc=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
enter_workdir
cp "$root/examples/ha-prod/main.kcl" main.kcl
vars=(--var workers=2)
app0='prod.sim.machine["app-0"]'

# The number after "sim.machine (" in `kc sim show`: machines in the simulated world.
world_machines() { "$kc" sim show | sed -n 's/.*sim\.machine (\([0-9]*\)).*/\1/p' | head -1; }
# Machines the state names: current records and deposed objects.
state_machines() { "$kc" state list | grep -c '\.sim\.machine\[' || true; }

run "first apply" 0 "$kc" apply --auto-approve "${vars[@]}"
old_id=$(python3 -c '
import json, sys
s = json.load(open(".kc/state.json"))
print([r for r in s["resources"] if r["address"] == sys.argv[1]][0]["attributes"]["id"])' "$app0")
[ -n "$old_id" ] && pass "old app-0 machine is $old_id" || fail "no id for app-0"
run "block the old machine's drain" 0 "$kc" sim block-drain "$old_id"

sed -i 's/kubernetes = v1.29.4 /kubernetes = v1.30.2 /' main.kcl
run "upgrade fails at the blocked drain" 1 "$kc" apply --auto-approve "${vars[@]}"
contains "the drain step fails" 'drain is blocked in the simulated cloud'
contains "the new app-0 was created first" "$app0: Creation complete"

run "state list shows the deposed machine" 0 "$kc" state list
contains "deposed app-0 listed" "$app0 (deposed object "
key=$(sed -n 's/.*app-0"\] (deposed object \([0-9a-f]*\)).*/\1/p' <<<"$out" | head -1)
[ -n "$key" ] && pass "deposed key $key" || fail "no deposed key" "$out"
deposed="$app0 (deposed object $key)"
run "state show takes the deposed object as listed" 0 "$kc" state show "$deposed"
contains "its label" "$deposed"
contains "the old machine's id" "$old_id"
contains "what it is" "deposed:    the old object of a replacement; the next apply deletes it"
run "a wrong key is E0505 with the right one suggested" 1 "$kc" state show "$app0 (deposed object 00000000)"
contains "E0505 names the key" "no deposed object 00000000 of \`$app0\` in the state"
contains "did-you-mean" "did you mean \`$deposed\`?"
# Forgetting it, then putting the saved state back: rm touches the deposed object only.
"$kc" state pull > before_rm.json
run "state rm forgets the deposed object" 0 "$kc" state rm "$deposed"
contains "rm reports it" "Removed $deposed from the state"
run "state list after rm" 0 "$kc" state list
lacks "no deposed object listed" "deposed object"
contains "the new app-0 stays" "$app0"
run "the saved state goes back" 0 "$kc" state push --force before_rm.json
run "state list after the push" 0 "$kc" state list
contains "the deposed object is back" "$deposed"
run "state pull" 0 "$kc" state pull
python3 - "$old_id" "$out" <<'PY' && pass "the state stores the old machine under deposed" || fail "state deposed" "$out"
import json, sys
s = json.loads(sys.argv[2])
d = s.get("deposed", [])
assert len(d) == 1, d
assert d[0]["resource"]["attributes"]["id"] == sys.argv[1], d
assert d[0]["resource"]["hooks"]["before_destroy"] == ["drain"], d
assert d[0]["resource"]["rollout"]["group"] == "pool-app", d
PY
w=$(world_machines)
s=$(state_machines)
[ "$w" = "$s" ] && pass "world and state both name $w machines" || fail "world $w machines, state $s"

run "plan deletes the deposed machine" 2 "$kc" plan --detailed-exitcode "${vars[@]}"
contains "deposed delete shown" "# $app0 (deposed object $key) will be destroyed"
contains "its drain is planned" "action $app0 (deposed object $key) drain, before_destroy"
contains "its delete step is marked" "delete $app0 (deposed object $key)"
run "plan json marks the change" 0 "$kc" plan --json "${vars[@]}"
python3 - "$out" "$key" <<'PY' && pass "json change has deposed" || fail "json deposed" "$out"
import json, sys
plan = json.loads(sys.argv[1])
changes = [c for c in plan["changes"] if c.get("deposed") == sys.argv[2]]
assert len(changes) == 1 and changes[0]["action"] == "delete", changes
PY

run "unblock the drain" 0 "$kc" sim unblock-drain "$old_id"
run "apply converges" 0 "$kc" apply --auto-approve "${vars[@]}"
contains "the deposed machine is deleted" "$app0 (deposed object $key): Destruction complete"
run "state list has no deposed object" 0 "$kc" state list
lacks "nothing deposed" "deposed object"
run "check-rollout after converging" 0 "$kc" sim check-rollout
contains "rollout OK" "Rollout OK"
w=$(world_machines)
s=$(state_machines)
[ "$w" = "$s" ] && pass "world and state both name $w machines" || fail "world $w machines, state $s"
run "no changes at the end" 0 "$kc" plan --detailed-exitcode "${vars[@]}"
finish
