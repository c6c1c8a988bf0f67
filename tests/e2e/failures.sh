#!/usr/bin/env bash
# End to end: provider failures during `kc apply` on sim, checked against the simulated world.
# (a) Transient failures (`failure_rate = 30%`) are retried with backoff and converge: exit 0,
#     "Retrying ... after a transient error" lines, one world object per state resource, a clean
#     plan. Which calls fail is a hash of the seed, the address, the operation and the call number,
#     so a seed gives the same run every time: the seeds below are ones whose runs converge within
#     the 5 attempts of the retry policy (0.3^5 = 0.24% per call would otherwise give up about once
#     in 14 applies of 30 resources). At 70% seed 1 exhausts the retries of some steps: exit 1 with
#     those steps failed and their dependents skipped, a consistent state (failed creates stay
#     pending, the world made nothing for them), and the next apply at 0% converges.
# (b) Permanent failures (`kc sim fail`) on a machine that a replacement deletes (marked by address)
#     and on one that an update changes (marked by id): exit 1 naming those steps as failed, the
#     dependent load balancer skipped, the independent updates applied; the state keeps the old
#     machines; the next apply converges and plans clean. A delete-first replacement whose create
#     gives up (60%) leaves a pending create, no object, and converges too.
# (c) Failed creates (a new resource marked with `kc sim fail`, a killed machine recreated) stay
#     pending and make no object; the converging apply creates exactly one object per address.
set -euo pipefail
kc=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
enter_workdir

# 30 resources in four levels (33 with `extra = 3`): a network, three subnets, eight machines on
# each, two load balancers over the first machines of the subnets.
cat >main.kcl <<'KCL'
param rate: percent = 30%
param seed: int = 1
param image_a: string = "img-1"
param cpu: int(1..64) = 2
param extra: int(0..3) = 0

provider sim { failure_rate = rate, seed = seed }

net = resource sim.network main { cidr = 10.1.0.0/16, region = "r1" }
sub_a = resource sim.subnet a { network = net.id, cidr = 10.1.1.0/24, zone = "a" }
sub_b = resource sim.subnet b { network = net.id, cidr = 10.1.2.0/24, zone = "b" }
sub_c = resource sim.subnet c { network = net.id, cidr = 10.1.3.0/24, zone = "c" }

m_a = [for i in range(8): resource sim.machine "a-${i}" {
  cpu = cpu, memory = 4Gi, zone = sub_a.zone, subnet = sub_a.id, image = image_a
}]
m_b = [for i in range(8): resource sim.machine "b-${i}" {
  cpu = cpu, memory = 4Gi, zone = sub_b.zone, subnet = sub_b.id, image = "img-1"
}]
m_c = [for i in range(8): resource sim.machine "c-${i}" {
  cpu = cpu, memory = 4Gi, zone = sub_c.zone, subnet = sub_c.id, image = "img-1"
}]
m_x = [for i in range(extra): resource sim.machine "x-${i}" {
  cpu = 1, memory = 1Gi, zone = sub_c.zone, subnet = sub_c.id
}]

lb_a = resource sim.load_balancer api_a {
  name    = "api-a"
  subnets = [sub_a.id, sub_b.id]
  port    = 6443
  targets = [m_a[0].ip, m_b[0].ip]
}
lb_c = resource sim.load_balancer api_c {
  name    = "api-c"
  subnets = [sub_c.id]
  port    = 6443
  targets = [m_c[0].ip]
}
KCL

# Compares the state (`kc state pull`) with the sim world. Prints "ok N" when the state's N
# resources have distinct ids, each naming a live object, and the world holds no other object.
# With "pending" a world object unknown to the state is allowed when it was made by a pending
# create (its idempotency key is one the state lists), and pending creates may remain.
compare_world() {
  local mode=${1:-exact}
  "$kc" state pull >state.out 2>state.err || { echo "state pull failed: $(cat state.err)"; return; }
  if [ -e .kc/sim/world.json ]; then "$kc" sim show >/dev/null; fi # folds the journal
  python3 - "$mode" <<'PY'
import json, os, sys
state = json.load(open("state.out"))
ids = [r["attributes"].get("id") for r in state.get("resources", [])]
world = json.load(open(".kc/sim/world.json")) if os.path.exists(".kc/sim/world.json") else {}
objects = []
for section in world.values():
    if isinstance(section, dict):
        objects += [k for k, v in section.items() if isinstance(v, dict) and v.get("id") == k]
pending_keys = {p["key"] for p in state.get("pending", [])}
by_pending = {i for k, i in world.get("idempotency_keys", {}).items() if k in pending_keys}
problems = []
if len(set(ids)) != len(ids):
    problems.append("duplicate ids in the state")
if len(set(objects)) != len(objects):
    problems.append("duplicate objects in the world")
if set(ids) - set(objects):
    problems.append("state ids missing from the world: %s" % sorted(set(ids) - set(objects)))
unknown = set(objects) - set(ids) - (by_pending if sys.argv[1] == "pending" else set())
if unknown:
    problems.append("world objects unknown to the state: %s" % sorted(unknown))
if sys.argv[1] != "pending" and state.get("pending"):
    problems.append("pending creates left: %s" % [p["address"] for p in state["pending"]])
print("; ".join(problems) if problems else "ok %d" % len(ids))
PY
}

# ---- (a) Transient failures at 30% are retried and converge. ----
for seed in 1 2 3; do
  rm -rf .kc
  run "seed $seed: apply at 30% converges" 0 "$kc" apply --auto-approve --var seed=$seed
  contains "seed $seed: every resource created" "Apply complete! Resources: 30 created"
  contains "seed $seed: retries happened" ") after a transient error: "
  contains "seed $seed: the retried error is the injected one" "simulated transient failure of"
  retries=$(grep -c ': Retrying in [0-9.]*s (retry [0-9]*) after a transient error' <<<"$out" || true)
  [ "$retries" -ge 5 ] && pass "seed $seed: $retries retries" || fail "seed $seed: $retries retries" "$out"
  # A transient failure happens before the call changes anything (and logs nothing): the log has
  # exactly one create per resource, however often it was retried.
  run "seed $seed: event log" 0 "$kc" sim events
  creates=$(grep -c '\.create ' <<<"$out" || true)
  [ "$creates" -eq 30 ] && pass "seed $seed: 30 creates logged" || fail "seed $seed: $creates creates logged" "$out"
  out=$(compare_world)
  equals "seed $seed: one world object per state resource" "ok 30"
  run "seed $seed: no changes after apply" 0 "$kc" plan --detailed-exitcode --var seed=$seed
done
# The same seed fails the same calls: a second run from scratch retries the same steps.
# (Progress lines start with a timestamp; the waits are random, so only the step and retry count.)
retried() {
  grep -o '[^ ]*: Retrying in [0-9.]*s (retry [0-9]*)' <<<"$out" | sed 's/ in [0-9.]*s//' | sort || true
}
rm -rf .kc
run "seed 3 again" 0 "$kc" apply --auto-approve --var seed=3
first=$(retried)
rm -rf .kc
run "seed 3 a third time" 0 "$kc" apply --auto-approve --var seed=3
[ "$first" = "$(retried)" ] && pass "seed 3 retries the same calls every time" ||
  fail "seed 3 retried other calls" "$first"$'\n---\n'"$(retried)"

# ---- (a) At 70% some steps use up their five attempts. ----
rm -rf .kc
run "apply at 70% gives up" 1 "$kc" apply --auto-approve --var rate=70% --var seed=1
contains "retries before giving up" "(retry 4) after a transient error"
contains "the fifth attempt's error is the reason" "simulated transient failure of \`create\` (attempt 5;"
contains "steps failed, dependents skipped" "Apply failed! Resources: 15 created, 0 updated, 0 replaced, 0 deleted, 6 failed, 9 skipped"
contains "a failed subnet is listed" 'sim.subnet["b"]: `sim.subnet["b"]`: simulated transient failure'
contains "its machines are skipped" 'sim.machine["b-3"] (waited on sim.subnet["b"])'
contains "the load balancer over them too" 'sim.load_balancer["api_a"] (waited on sim.machine["b-0"])'
out=$(compare_world pending)
equals "state consistent after giving up" "ok 15"
run "failed creates stay pending" 0 "$kc" state list
contains "the failed subnet is a pending create" 'sim.subnet["b"] (pending create)'
lacks "skipped machines are not in the state" 'sim.machine["b-3"]'
run "apply at 0% converges" 0 "$kc" apply --auto-approve --var rate=0% --var seed=1
contains "the rest is created" "Apply complete! Resources: 15 created, 0 updated"
out=$(compare_world)
equals "no duplicate after the converging apply" "ok 30"
run "no changes after converging" 0 "$kc" plan --detailed-exitcode --var rate=0% --var seed=1

# ---- (b) A permanent failure on a machine a replacement deletes. ----
ok=(--var rate=0%)
run "mark a-0" 0 "$kc" sim fail 'sim.machine["a-0"]'
old_a0=$("$kc" state show 'sim.machine["a-0"]' | grep -o 'm-[0-9]*' | head -1)
# c-1 is marked by its id: its in-place update fails; nothing depends on it.
c1=$("$kc" state show 'sim.machine["c-1"]' | grep -o 'm-[0-9]*' | head -1)
run "mark c-1 by id" 0 "$kc" sim fail "$c1"
# image_a replaces a-0..a-7 (delete first) and the load balancer over a-0's address follows a-0;
# cpu updates the b and c machines in place (independent of a-0).
run "replace and update with a-0 marked" 1 "$kc" apply --auto-approve "${ok[@]}" --var image_a=img-2 --var cpu=4
contains "a-0's delete fails" 'sim.machine["a-0"]: `sim.machine["a-0"]`: simulated permanent failure of `delete`, injected with `kc sim fail sim.machine["a-0"]`'
contains "the load balancer is skipped" 'sim.load_balancer["api_a"] (waited on sim.machine["a-0"])'
contains "c-1's update fails" "sim.machine[\"c-1\"]: \`sim.machine[\"c-1\"]\`: simulated permanent failure of \`update\`, injected with \`kc sim fail $c1\`"
contains "the other machines are replaced and updated" "Resources: 0 created, 15 updated, 7 replaced, 0 deleted, 2 failed, 2 skipped"
contains "the load balancer's skip is a progress line" 'sim.load_balancer["api_a"]: Skipped (waited on sim.machine["a-0"], which did not run)'
out=$(compare_world)
equals "state consistent after the hard failure" "ok 30"
run "a-0 kept with its old id" 0 "$kc" state show 'sim.machine["a-0"]'
contains "old id" "$old_a0"
contains "old image" '"img-1"'
run "b machines updated" 0 "$kc" state show 'sim.machine["b-5"]'
contains "b-5 has 4 cpus" "cpu = 4"
run "c-1 not updated" 0 "$kc" state show 'sim.machine["c-1"]'
contains "c-1 keeps 2 cpus" "cpu = 2"
run "plan after the failure" 2 "$kc" plan --detailed-exitcode "${ok[@]}" --var image_a=img-2 --var cpu=4
contains "what is left" "Plan: 0 to create, 2 to update, 1 to replace, 0 to delete."
run "apply converges" 0 "$kc" apply --auto-approve "${ok[@]}" --var image_a=img-2 --var cpu=4
contains "a-0 replaced, c-1 and the load balancer updated" "Resources: 0 created, 2 updated, 1 replaced, 0 deleted, 0 failed, 0 skipped"
out=$(compare_world)
equals "one object per resource after the repair" "ok 30"
run "no changes after the repair" 0 "$kc" plan --detailed-exitcode "${ok[@]}" --var image_a=img-2 --var cpu=4

# ---- (c) Failed creates leave no duplicate. ----
vars=("${ok[@]}" --var image_a=img-2 --var cpu=4)
run "mark a new address" 0 "$kc" sim fail 'sim.machine["x-1"]'
run "kill c-3" 0 "$kc" sim kill 'sim.machine["c-3"]'
run "mark c-3" 0 "$kc" sim fail 'sim.machine["c-3"]'
run "creates fail" 1 "$kc" apply --auto-approve "${vars[@]}" --var extra=3
contains "x-1's create fails" 'sim.machine["x-1"]: `sim.machine["x-1"]`: simulated permanent failure of `create`'
contains "c-3's create fails" 'sim.machine["c-3"]: `sim.machine["c-3"]`: simulated permanent failure of `create`'
contains "the others are created" "Resources: 2 created, 0 updated, 0 replaced, 0 deleted, 2 failed, 0 skipped"
run "both are pending creates" 0 "$kc" state list
contains "x-1 pending" 'sim.machine["x-1"] (pending create)'
contains "c-3 pending" 'sim.machine["c-3"] (pending create)'
out=$(compare_world pending)
equals "state consistent with pending creates" "ok 31"
run "the converging apply" 0 "$kc" apply --auto-approve "${vars[@]}" --var extra=3
contains "both created once" "Resources: 2 created, 0 updated"
out=$(compare_world)
equals "exactly one object per resource" "ok 33"
run "one create per address in the log" 0 "$kc" sim events --json
python3 - "$out" <<'PY' && pass "x-1 created once, c-3 twice (before the kill, after)" || fail "create events" "$out"
import json, sys
events = json.loads(sys.argv[1])
def creates(address):
    return [e for e in events if e["kind"] == "machine.create" and e.get("address") == address]
assert len(creates('sim.machine["x-1"]')) == 1, creates('sim.machine["x-1"]')
assert len(creates('sim.machine["c-3"]')) == 2, creates('sim.machine["c-3"]')
PY
run "no changes after the creates" 0 "$kc" plan --detailed-exitcode "${vars[@]}" --var extra=3

# ---- (b, c) A replacement (delete first) whose create gives up after the delete went through. ----
# At 60% with seed 3 the new a-3's create fails five times; the other machines are replaced.
flaky=(--var rate=60% --var seed=3 --var image_a=img-3 --var cpu=4 --var extra=3)
run "replacement at 60% gives up on a create" 1 "$kc" apply --auto-approve "${flaky[@]}"
contains "a-3's create gave up" 'sim.machine["a-3"]: `sim.machine["a-3"]`: simulated transient failure of `create` (attempt 5;'
contains "the others replaced" "7 replaced, 0 deleted, 1 failed"
run "a-3 is a pending create" 0 "$kc" state list
contains "pending a-3" 'sim.machine["a-3"] (pending create)'
out=$(compare_world pending)
equals "state consistent: the old a-3 is gone from both" "ok 32"
run "apply at 0% converges" 0 "$kc" apply --auto-approve "${flaky[@]}" --var rate=0%
contains "a-3 created" 'sim.machine["a-3"]: Creation complete'
out=$(compare_world)
equals "one object per resource after the replacement" "ok 33"
run "no changes at the end" 0 "$kc" plan --detailed-exitcode "${flaky[@]}" --var rate=0%

# ---- A destroy of a state that holds nothing but failed creates settles them, and saves that. ----
run "destroy everything" 0 "$kc" destroy --auto-approve "${flaky[@]}" --var rate=0%
run "at 100% every create gives up" 1 "$kc" apply --auto-approve "${flaky[@]}" --var rate=100%
run "only pending creates are stored" 0 "$kc" state list
contains "a pending create" "(pending create)"
run "destroy with nothing to delete" 0 "$kc" destroy --auto-approve "${flaky[@]}" --var rate=100%
out=$(compare_world)
equals "no pending create and no object is left" "ok 0"
finish
