#!/usr/bin/env bash
# End to end: a Kubernetes minor upgrade of examples/ha-prod on sim, checked against the simulated
# cloud's event log. The plan replaces machines in rollout waves with drains before deletes and etcd
# members one at a time; the apply keeps every group within max_surge / max_unavailable, drains
# each node before its machine goes and never takes etcd below quorum (`kc sim check-rollout`); the
# next plan is empty. Then a pool grows and shrinks, a drain blocked with `kc sim block-drain` fails
# the apply on that step and leaves a consistent state, and after `kc sim unblock-drain` the next
# apply converges. `kc sim check-rollout` must also catch a violation: a machine deleted undrained.
set -euo pipefail
kc=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
enter_workdir
cp "$root/examples/ha-prod/main.kcl" main.kcl
# A small app pool keeps the run short; the infra pool keeps its three workers.
vars=(--var workers=2)

run "first apply" 0 "$kc" apply --auto-approve "${vars[@]}"
run "no changes after apply" 0 "$kc" plan --detailed-exitcode "${vars[@]}"
run "sim show lists nodes and budgets" 0 "$kc" sim show
contains "control plane machines" "sim.machine (8)"
contains "nodes listed" "nodes (8)"
contains "budgets listed" "web  cluster \"kubernetes\", max_unavailable 1"
run "check-rollout on a fresh cluster" 0 "$kc" sim check-rollout
contains "check-rollout reports OK" "Rollout OK"

# ---- The upgrade: the next Kubernetes minor. ----
sed -i 's/kubernetes = v1.29.4 /kubernetes = v1.30.2 /' main.kcl
grep -q 'kubernetes = v1.30.2' main.kcl && pass "module moved to v1.30.2" || fail "sed of the version"
run "upgrade plan" 2 "$kc" plan --detailed-exitcode "${vars[@]}"
plan=$out
contains "etcd replaced one member per wave" 'of group "etcd" (1 of 3; 3 members, max_surge 0, max_unavailable 1, quorum: 2 of 3 up):'
contains "third etcd wave" 'of group "etcd" (3 of 3; 3 members'
contains "control plane in waves" 'of group "control-plane" (1 of 3'
contains "pool waves" 'of group "pool-app" (1 of 2'
contains "drain is a step" 'action prod.sim.machine["app-0"] drain, before_destroy'
contains "remove_member is a step" 'action prod.sim.etcd_member["cp-0"] remove_member, before_destroy'
# In the step list, each machine's drain comes before its delete.
python3 - "$plan" <<'PY' && pass "plan drains each machine before deleting it" || fail "plan order" "$plan"
import re, sys
steps = {}
for line in sys.argv[1].splitlines():
    m = re.match(r'\s+(\d+) (delete|action) (prod\.sim\.machine\["[^"]+"\])( drain)?', line)
    if m and (m.group(2) == "delete" or m.group(4)):
        steps.setdefault(m.group(3), {})[m.group(2)] = (int(m.group(1)), line)
assert len(steps) == 8, steps
for address, s in steps.items():
    assert "action" in s and "delete" in s, (address, s)
    # The delete runs after its drain: `(after N)` names the drain's step.
    assert f"(after {s['action'][0]})" in s["delete"][1], (address, s)
PY
events_before=$("$kc" sim events --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["seq"])')
run "rolling upgrade" 0 "$kc" apply --auto-approve "${vars[@]}"
contains "machines, members, joins and the bootstrap replaced" "19 replaced"
run "check-rollout after the upgrade" 0 "$kc" sim check-rollout --json
python3 - "$out" <<'PY' && pass "check-rollout saw the replacements and drains" || fail "check-rollout report" "$out"
import json, sys
r = json.loads(sys.argv[1])
assert r["ok"] and not r["violations"], r
assert r["replacements"] == 8, r       # machines surge; etcd members go delete-first
assert r["machine_deletes"] >= 8, r
groups = {g["group"]: g for g in r["groups"]}
assert groups["etcd"]["max_unavailable"] == 1 and groups["etcd"]["max_surge"] == 0, groups
assert groups["pool-app"]["max_surge"] == 1, groups
PY
run "upgrade events" 0 "$kc" sim events --since "$events_before"
drains=$(grep -c ' node.drain ' <<<"$out" || true)
[ "$drains" -ge 8 ] && pass "every replaced node drained ($drains)" || fail "node drains: $drains" "$out"
grep -q ' pod.evict ' <<<"$out" && pass "pods evicted" || fail "no pod.evict event" "$out"
grep -q ' etcd_member.remove_member .*"members_after":2' <<<"$out" \
  && pass "etcd removals logged with the membership size" || fail "etcd events" "$out"
run "no changes after the upgrade" 0 "$kc" plan --detailed-exitcode "${vars[@]}"

# ---- Scale the app pool up, then down. ----
run "grow the pool" 0 "$kc" apply --auto-approve --var workers=3
contains "one machine more" "prod.sim.machine[\"app-2\"]: Creation complete"
run "shrink the pool" 0 "$kc" apply --auto-approve "${vars[@]}"
contains "shrink deletes the machine" "prod.sim.machine[\"app-2\"]: Destruction complete"
run "check-rollout after scaling" 0 "$kc" sim check-rollout
run "no changes after scaling" 0 "$kc" plan --detailed-exitcode "${vars[@]}"

# ---- A blocked drain fails the apply on that step; unblocking lets the next apply finish. ----
run "grow again" 0 "$kc" apply --auto-approve --var workers=3
run "block the drain" 0 "$kc" sim block-drain 'prod.sim.machine["app-2"]'
run "blocked shrink fails" 1 "$kc" apply --auto-approve "${vars[@]}"
contains "the drain step fails" 'drain is blocked in the simulated cloud'
contains "the error names the machine" 'prod.sim.machine["app-2"]'
run "state still has the machine" 0 "$kc" state list
contains "app-2 kept" 'prod.sim.machine["app-2"]'
run "plan after the failure still deletes it" 2 "$kc" plan --detailed-exitcode "${vars[@]}"
contains "one delete left" "to delete"
run "unblock the drain" 0 "$kc" sim unblock-drain 'prod.sim.machine["app-2"]'
run "apply converges" 0 "$kc" apply --auto-approve "${vars[@]}"
run "no changes after converging" 0 "$kc" plan --detailed-exitcode "${vars[@]}"
run "check-rollout at the end" 0 "$kc" sim check-rollout

# ---- Another minor upgrade with transient failures: retried, and the rollout still holds. ----
printf '\nprovider sim { failure_rate = 10%% }\n' >>main.kcl
sed -i 's/kubernetes = v1.30.2 /kubernetes = v1.31.1 /' main.kcl
run "upgrade through transient failures" 0 "$kc" apply --auto-approve "${vars[@]}"
contains "failures were retried" "after a transient error"
contains "simulated failure named" "simulated transient failure of"
run "check-rollout after the flaky upgrade" 0 "$kc" sim check-rollout
run "no changes after the flaky upgrade" 0 "$kc" plan --detailed-exitcode "${vars[@]}"
sed -i 's/failure_rate = 10%/failure_rate = 0%/' main.kcl

# ---- kc sim: errors, drift and a caught violation. ----
run "unknown id" 1 "$kc" sim kill m-9999
contains "unknown id is E0504" "error[E0504]: no object \`m-9999\` in the sim world"
run "drift an attribute" 0 "$kc" sim set 'prod.sim.machine["app-0"]' cpu 16
run "drift shows in the plan" 2 "$kc" plan --detailed-exitcode "${vars[@]}"
contains "cpu drift is planned back" "16"
run "kill a worker" 0 "$kc" sim kill 'prod.sim.machine["app-1"]'
run "plan recreates the killed machine" 2 "$kc" plan --detailed-exitcode "${vars[@]}"
contains "killed machine created again" 'prod.sim.machine["app-1"]'
run "fail marks a resource" 0 "$kc" sim fail 'prod.sim.machine["app-0"]'
run "a permanent failure fails the apply" 1 "$kc" apply --auto-approve "${vars[@]}"
contains "named as injected" 'injected with `kc sim fail prod.sim.machine["app-0"]`'
run "apply repairs" 0 "$kc" apply --auto-approve "${vars[@]}"
run "no changes after the repair" 0 "$kc" plan --detailed-exitcode "${vars[@]}"
run "check-rollout ignores the kill" 0 "$kc" sim check-rollout
# A hand-edited log with an undrained delete must be caught.
python3 - <<'PY'
import json
path = ".kc/sim/world.json"
w = json.load(open(path))
ev = w["events"]
seq = ev[-1]["seq"]
ev.append({"seq": seq + 1, "run": 99, "kind": "node.join", "id": "m-7777", "details": {}})
ev.append({"seq": seq + 2, "run": 99, "address": "x", "kind": "machine.delete", "id": "m-7777", "details": {}})
json.dump(w, open(path, "w"))
PY
run "check-rollout catches an undrained delete" 1 "$kc" sim check-rollout
contains "property named" "violated drain_before_delete: machine \`m-7777\`"
finish
