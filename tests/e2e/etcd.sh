#!/usr/bin/env bash
# End to end: etcd membership changes of a `Cluster` on sim. The module is examples/ha-prod cut
# down, with the etcd member count and the control-plane replicas as params. The stdlib places
# stacked members on the first `etcd.members` control-plane machines, so the member count can
# grow only up to `control_plane.replicas` (more is the Cluster check E0401, asserted below), and a
# member is named after its host. Each membership change is one rollout wave of the group "etcd"
# (max_surge 0, max_unavailable 1): a new member joins (create, then `wait_healthy`), a leaving one
# leaves the membership (`remove_member`) before it is deleted. An even member count is allowed
# (neither the stdlib nor the sim refuses it; 4 members need 3 for quorum, so they tolerate one
# loss as 3 do); the quorum check on plans (E0507) only concerns waves that take members down.
# After every apply: exit 0, `kc sim check-rollout` passes (etcd quorum held at every change of the
# event log), `kc sim show --json` has the expected members and the next plan is clean.
set -euo pipefail
kc=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
enter_workdir

cat >main.kcl <<'KCL'
param etcd_members: int(1..9) = 3
param control_planes: int(1..7) = 4
param workers: int(1..10) = 2

prod = Cluster {
  provider   = sim
  region     = "eu-west-1"
  zones      = ["a", "b", "c"]
  kubernetes = v1.30.2
  network    { node_cidr = 10.0.0.0/16 }
  etcd { members = etcd_members }
  control_plane {
    replicas = control_planes
    machine  = { cpu = 2, memory = 8Gi }
  }
  node_pool app {
    replicas = workers
    machine  = { cpu = 4, memory = 16Gi }
  }
}
KCL

# members: the names of the etcd members in the sim world that are still in the membership
# (not flagged "removed"), sorted, space-separated.
members() {
  "$kc" sim show --json | python3 -c '
import json, sys
w = json.load(sys.stdin)
flags = w["flags"]
names = sorted(m["name"] for m in w["objects"].get("sim.etcd_member", [])
               if "removed" not in flags.get(m["id"], []))
print(" ".join(names))'
}

# settled NAME VARS...: the apply just made holds etcd quorum, and the next plan is clean.
# step_id TEXT: the number of the plan step line that contains TEXT (empty when none).
step_id() {
  grep -F -- "$1" <<<"$out" | head -n 1 | awk '{print $1}'
}
# before NAME FIRST SECOND: the step holding FIRST runs before the step holding SECOND.
before() {
  local a b
  a=$(step_id "$2")
  b=$(step_id "$3")
  if [[ -n $a && -n $b && $a -lt $b ]]; then pass "$1"; else fail "$1 (steps '$a', '$b')" "$out"; fi
}

settled() {
  local name=$1
  shift
  run "$name: check-rollout" 0 "$kc" sim check-rollout --json
  python3 - "$out" <<'PY' && pass "$name: rollout OK, no violation" || fail "$name: check-rollout" "$out"
import json, sys
r = json.loads(sys.argv[1])
assert r["ok"] and not r["violations"], r
assert {"group": "etcd", "max_surge": 0, "max_unavailable": 1} in r["groups"], r["groups"]
PY
  run "$name: no changes after apply" 0 "$kc" plan --detailed-exitcode "$@"
}

run "first apply" 0 "$kc" apply --auto-approve
settled "first apply"
out=$(members)
equals "three members on the first control planes" "cp-0 cp-1 cp-2"

# ---- Grow by one: 3 -> 4. ----
run "grow plan" 2 "$kc" plan --detailed-exitcode --var etcd_members=4
contains "one etcd wave" 'Wave 1 of group "etcd" (1 of 1; 4 members, max_surge 0, max_unavailable 1, quorum: 3 of 3 up):'
contains "the member joins" 'create prod.sim.etcd_member["cp-3"]'
contains "and is waited for" 'action prod.sim.etcd_member["cp-3"] wait_healthy, after_create'
contains "its host takes the etcd role" 'update prod.sim.machine["cp-3"]'
contains "the etcd certificate names it" 'update prod.sim.certificate["etcd"]'
contains "nothing else" "Plan: 1 to create, 2 to update, 0 to replace, 0 to delete."
before "the certificate names the member before it joins" \
  'update prod.sim.certificate["etcd"]' 'create prod.sim.etcd_member["cp-3"]'
run "grow" 0 "$kc" apply --auto-approve --var etcd_members=4
settled "grow" --var etcd_members=4
out=$(members)
equals "four members" "cp-0 cp-1 cp-2 cp-3"
run "grow events" 0 "$kc" sim events
contains "the add is logged 3 -> 4" '"name":"cp-3","members_before":3,"members_after":4,"healthy_after":4'

# ---- Shrink by one: 4 -> 3. ----
run "shrink plan" 2 "$kc" plan --detailed-exitcode --var etcd_members=3
contains "one etcd wave" 'Wave 1 of group "etcd" (1 of 1; 3 members, max_surge 0, max_unavailable 1, quorum: 3 of 4 up):'
contains "the member leaves first" 'action prod.sim.etcd_member["cp-3"] remove_member, before_destroy'
contains "then is deleted" 'delete prod.sim.etcd_member["cp-3"] (after '
contains "nothing else" "Plan: 0 to create, 2 to update, 0 to replace, 1 to delete."
before "the member is gone before the certificate drops it" \
  'delete prod.sim.etcd_member["cp-3"]' 'update prod.sim.certificate["etcd"]'
before "and before its host loses the etcd role" \
  'delete prod.sim.etcd_member["cp-3"]' 'update prod.sim.machine["cp-3"]'
run "shrink" 0 "$kc" apply --auto-approve --var etcd_members=3
settled "shrink" --var etcd_members=3
out=$(members)
equals "three members again" "cp-0 cp-1 cp-2"
run "shrink events" 0 "$kc" sim events
contains "the removal is logged 4 -> 3" '"members_before":4,"members_after":3,"healthy_after":3'
grep -q 'etcd_member.remove_member .*prod.sim.etcd_member\["cp-3"\]' <<<"$out" &&
  grep -q 'etcd_member.delete .*prod.sim.etcd_member\["cp-3"\]' <<<"$out" &&
  [ "$(grep -n 'etcd_member.remove_member .*"cp-3"' <<<"$out" | cut -d: -f1 | head -1)" -lt \
    "$(grep -n 'etcd_member.delete .*"cp-3"' <<<"$out" | cut -d: -f1 | head -1)" ] &&
  pass "cp-3 left the membership before its delete" || fail "remove before delete" "$out"

# ---- More members than control planes: the stdlib refuses, nothing is planned. ----
run "five members on four control planes" 1 "$kc" plan --var etcd_members=5
contains "the Cluster check says why" "etcd needs 5 machines to host its members; the placement offers 4"

# ---- Two at once: 3 -> 5 (with a fifth control plane) and back, one member per wave. ----
run "grow by two plan" 2 "$kc" plan --detailed-exitcode --var etcd_members=5 --var control_planes=5
contains "first wave" 'of group "etcd" (1 of 2; 5 members, max_surge 0, max_unavailable 1, quorum: 3 of 3 up):'
contains "second wave" 'of group "etcd" (2 of 2; 5 members, max_surge 0, max_unavailable 1, quorum: 4 of 4 up):'
run "grow by two" 0 "$kc" apply --auto-approve --var etcd_members=5 --var control_planes=5
settled "grow by two" --var etcd_members=5 --var control_planes=5
out=$(members)
equals "five members" "cp-0 cp-1 cp-2 cp-3 cp-4"
run "shrink by two plan" 2 "$kc" plan --detailed-exitcode --var etcd_members=3 --var control_planes=5
contains "first wave" 'of group "etcd" (1 of 2; 3 members, max_surge 0, max_unavailable 1, quorum: 4 of 5 up):'
contains "second wave" 'of group "etcd" (2 of 2; 3 members'
run "shrink by two" 0 "$kc" apply --auto-approve --var etcd_members=3 --var control_planes=5
settled "shrink by two" --var etcd_members=3 --var control_planes=5
out=$(members)
equals "three members at the end" "cp-0 cp-1 cp-2"
# Every membership change of the log was one member: sizes step by one.
run "all events" 0 "$kc" sim events --json
python3 - "$out" <<'PY' && pass "membership moved one member at a time: 3 4 3 4 5 4 3" || fail "membership sizes" "$out"
import json, sys
sizes = []
for e in json.loads(sys.argv[1]):
    if e["kind"] in ("etcd_member.add", "etcd_member.remove_member"):
        d = e["details"]
        assert abs(d["members_after"] - d["members_before"]) == 1, e
        assert d["healthy_after"] == d["members_after"], e
        sizes.append(d["members_after"])
assert sizes == [1, 2, 3, 4, 3, 4, 5, 4, 3], sizes
PY
finish
