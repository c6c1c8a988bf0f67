#!/usr/bin/env bash
# End to end: a rolling replacement on sim runs in waves with its hook actions. A pool of three
# machines and a three-member etcd cluster move to a new image; the apply drains each old machine
# before deleting it (the sim world's event log shows the drains in wave order), removes each old
# etcd member before its successor joins, one at a time, never loses etcd quorum, and counts the
# actions apart from resource changes. A scale-down drains the machines it deletes; destroy removes everything.
# etcd members keep their names, and sim (like etcd) refuses two members of one name, so the etcd
# group replaces delete-first (max_unavailable 1), which quorum allows with three members.
set -euo pipefail
kc=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
enter_workdir

cat >main.kcl <<'KCL'
param image: string = "kubernetes-v1"
param replicas: int = 3

machines = [
  for i in range(replicas): resource sim.machine "app-${i}" {
    cpu     = 2
    memory  = 4Gi
    zone    = "a"
    image   = image
    rollout { group = "pool-app", max_surge = 1, max_unavailable = 0 }
    hooks   { after_create = ["wait_ready"], before_destroy = ["drain"] }
  }
]
etcd = [
  for i in range(3): resource sim.etcd_member "e-${i}" {
    cluster    = "prod"
    name       = "e-${i}"
    machine    = machines[i].id
    peer_url   = "https://${machines[i].ip}:2380"
    client_url = "https://${machines[i].ip}:2379"
    rollout    { group = "etcd", max_surge = 0, max_unavailable = 1, quorum = true }
    hooks      { after_create = ["wait_healthy"], before_destroy = ["remove_member"] }
  }
]
KCL

# Events of the sim world, in order, as "kind id" lines.
events() {
  python3 - "$@" <<'PY'
import json, sys
world = json.load(open(".kc/sim/world.json"))
for e in world["events"]:
    print(e["kind"], e.get("id", ""))
PY
}

run "first apply" 0 "$kc" apply --auto-approve
contains "first apply waits for each machine" 'sim.machine["app-0"]: Running wait_ready...'
contains "first apply counts actions apart" "Resources: 6 created, 0 updated, 0 replaced, 0 deleted"
contains "first apply reports the actions" "Hook actions run: 6."
run "state records the rollout group" 0 "$kc" state show 'sim.machine["app-1"]'
run "no changes after apply" 0 "$kc" plan --detailed-exitcode

run "upgrade plan shows waves" 2 "$kc" plan --detailed-exitcode --var image=kubernetes-v2
contains "plan titles the machine waves" 'Wave 1 of group "etcd" (1 of 3; 3 members, max_surge 0, max_unavailable 1, quorum: 2 of 3 up):'
contains "plan has pool waves" 'Wave 4 of group "pool-app" (1 of 3'
contains "drain is a step" 'action sim.machine["app-0"] drain, before_destroy'

events >before.txt
run "rolling apply" 0 "$kc" apply --auto-approve --var image=kubernetes-v2
contains "every machine replaced" "Resources: 0 created, 0 updated, 6 replaced, 0 deleted, 0 failed, 0 skipped in "
contains "actions counted" "Hook actions run: 12."
contains "progress names the drain" 'sim.machine["app-2"]: drain complete after'
contains "progress names remove_member" 'sim.etcd_member["e-1"]: Running remove_member...'
events >after.txt
new_events=$(tail -n +"$(($(wc -l <before.txt) + 1))" after.txt)
drains=$(grep -c '^machine.drain' <<<"$new_events" || true)
if [ "$drains" -eq 3 ]; then pass "three drains ran"; else fail "drains: $drains, want 3" "$new_events"; fi
removes=$(grep -c '^etcd_member.remove_member' <<<"$new_events" || true)
if [ "$removes" -eq 3 ]; then pass "three members removed"; else fail "removes: $removes, want 3" "$new_events"; fi
# Surge: every old machine is drained only after a new one was created, and deleted after its drain.
order=$(grep -E '^machine\.(create|drain|delete)' <<<"$new_events" | awk '{print $1}' | tr '\n' ' ')
want="machine.create machine.drain machine.delete machine.create machine.drain machine.delete machine.create machine.drain machine.delete "
if [ "$order" = "$want" ]; then pass "machines replaced one wave at a time, new first"; else fail "machine event order: $order" "$new_events"; fi
run "no changes after the rollout" 0 "$kc" plan --detailed-exitcode --var image=kubernetes-v2

sed -i 's/group = "etcd", max_surge = 0, max_unavailable = 1/group = "etcd", max_surge = 0, max_unavailable = 2/' main.kcl
run "quorum refusal" 1 "$kc" plan --var image=kubernetes-v3
contains "E0507 names the wave" "error[E0507]: wave 1 of quorum group \`etcd\` takes 2 of its 3 members down at once"
sed -i 's/group = "etcd", max_surge = 0, max_unavailable = 2/group = "etcd", max_surge = 0, max_unavailable = 1/' main.kcl

# Grow the pool, then shrink it: the machines deleted carry no etcd member.
run "grow the pool" 0 "$kc" apply --auto-approve --var image=kubernetes-v2 --var replicas=5
events >before.txt
run "shrink the pool" 0 "$kc" apply --auto-approve --var image=kubernetes-v2 --var replicas=3
contains "shrink deletes two" "Resources: 0 created, 0 updated, 0 replaced, 2 deleted"
events >after.txt
new_events=$(tail -n +"$(($(wc -l <before.txt) + 1))" after.txt)
order=$(grep -E '^machine\.(drain|delete)' <<<"$new_events" | awk '{print $1}' | tr '\n' ' ')
if [ "$order" = "machine.drain machine.delete machine.drain machine.delete " ]; then
  pass "deleted machines drained first, one at a time"
else
  fail "scale-down event order: $order" "$new_events"
fi

run "destroy" 0 "$kc" destroy --auto-approve --var image=kubernetes-v2
contains "destroy deletes all" "Destroy complete! Resources: 0 created, 0 updated, 0 replaced, 6 deleted"
run "nothing left" 0 "$kc" state list
equals "state is empty" ""
finish
