#!/usr/bin/env bash
# End to end: `kc apply` and `kc destroy` killed with SIGKILL at random moments (a seeded series of
# delays) never lose or duplicate anything. After every kill the state still loads (`kc state
# list`); the next `kc apply` finishes the job (exit 0) and `kc plan --detailed-exitcode` then
# finds nothing to do; and the sim world holds exactly one object per resource in the state, with
# the same ids (a create the kill interrupted was adopted through its idempotency key, not made
# twice). Killed destroys are finished by the next destroy, leaving an empty world and state.
set -euo pipefail
kc=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
enter_workdir

# 40 resources in four levels: networks, subnets, machines on them, load balancers over them.
cat >main.kcl <<'KCL'
provider sim { latency = 20ms }

net_a = resource sim.network a { cidr = 10.1.0.0/16, region = "r1" }
net_b = resource sim.network b { cidr = 10.2.0.0/16, region = "r1" }

sub_a1 = resource sim.subnet a1 { network = net_a.id, cidr = 10.1.1.0/24, zone = "a" }
sub_a2 = resource sim.subnet a2 { network = net_a.id, cidr = 10.1.2.0/24, zone = "b" }
sub_b1 = resource sim.subnet b1 { network = net_b.id, cidr = 10.2.1.0/24, zone = "a" }
sub_b2 = resource sim.subnet b2 { network = net_b.id, cidr = 10.2.2.0/24, zone = "b" }

m_a1 = [for i in range(8): resource sim.machine "a1-${i}" {
  cpu = 2, memory = 4Gi, zone = sub_a1.zone, subnet = sub_a1.id
}]
m_a2 = [for i in range(8): resource sim.machine "a2-${i}" {
  cpu = 2, memory = 4Gi, zone = sub_a2.zone, subnet = sub_a2.id
}]
m_b1 = [for i in range(8): resource sim.machine "b1-${i}" {
  cpu = 2, memory = 4Gi, zone = sub_b1.zone, subnet = sub_b1.id
}]
m_b2 = [for i in range(8): resource sim.machine "b2-${i}" {
  cpu = 2, memory = 4Gi, zone = sub_b2.zone, subnet = sub_b2.id
}]

api_a = resource sim.load_balancer api_a {
  name    = "api-a"
  subnets = [sub_a1.id, sub_a2.id]
  port    = 6443
  targets = [m_a1[0].ip, m_a2[0].ip]
}
api_b = resource sim.load_balancer api_b {
  name    = "api-b"
  subnets = [sub_b1.id, sub_b2.id]
  port    = 6443
  targets = [m_b1[0].ip, m_b2[0].ip]
}
KCL
total=40

# Compares the state (`kc state pull`) with the sim world: prints "ok N" when every stored
# resource's id names exactly one live object and the world holds no other object; else what
# differs. With "forgotten" only checks that no object of the world is missing from the state.
compare_world() {
  local mode=${1:-exact}
  "$kc" state pull >state.out 2>state.err || { echo "state pull failed: $(cat state.err)"; return; }
  # A killed kc leaves its last changes in .kc/sim/world.journal; any `kc sim` command folds them
  # into world.json, which the python below reads.
  if [ -e .kc/sim/world.json ]; then "$kc" sim show >/dev/null; fi
  python3 - "$mode" <<'PY'
import json, os, sys
# No state at all (a run killed before its first save) prints nothing: no resources.
text = open("state.out").read()
state = json.loads(text) if text.strip() else {}
ids = [r["attributes"].get("id") for r in state.get("resources", [])]
world = {}
if os.path.exists(".kc/sim/world.json"):
    world = json.load(open(".kc/sim/world.json"))
objects = []  # every section maps ids to attribute maps holding that id
for section in world.values():
    if isinstance(section, dict):
        objects += [k for k, v in section.items() if isinstance(v, dict) and v.get("id") == k]
problems = []
if len(set(ids)) != len(ids):
    problems.append("duplicate ids in the state")
if sys.argv[1] == "forgotten":
    if set(objects) - set(ids):
        problems.append("forgotten objects %s" % sorted(set(objects) - set(ids)))
elif sorted(ids) != sorted(objects):
    problems.append("state ids %s != world objects %s" %
                    (sorted(set(ids) - set(objects)), sorted(set(objects) - set(ids))))
if sys.argv[1] != "forgotten" and state.get("pending"):
    problems.append("pending creates left: %s" % state["pending"])
print("; ".join(problems) if problems else "ok %d" % len(ids))
PY
}

# kill_during NAME DELAY CMD...: starts CMD in the background and SIGKILLs it after DELAY seconds
# (if it is still running), then checks that the state still loads.
kill_during() {
  local name=$1 delay=$2
  shift 2
  "$@" >run.log 2>&1 &
  local pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  run "$name: state loads after the kill" 0 "$kc" state list
  if grep -q "(pending create)" <<<"$out"; then kills_pending=$((kills_pending + 1)); fi
  if [ -e .kc/state.json.journal ]; then kills_journal=$((kills_journal + 1)); fi
}
kills_pending=0 # kills that left a pending create
kills_journal=0 # kills that left an unfolded journal
adopted=0       # runs that adopted what a killed create made

RANDOM=7 # seeded: the same kill points on every run
rounds=16
for round in $(seq 1 "$rounds"); do
  rm -rf .kc
  # Two kills in a row (the second one during the resumed run), then a run that finishes.
  # A whole apply takes about 0.8s here: the kills land anywhere in it.
  d1=0.$(printf '%03d' $((50 + RANDOM % 750)))
  d2=0.$(printf '%03d' $((RANDOM % 600)))
  kill_during "round $round: apply killed after ${d1}s" "$d1" "$kc" apply --auto-approve
  kill_during "round $round: resumed apply killed after ${d2}s" "$d2" "$kc" apply --auto-approve
  run "round $round: apply finishes the job" 0 "$kc" apply --auto-approve
  if grep -q "was created by an interrupted apply" <<<"$out"; then adopted=$((adopted + 1)); fi
  run "round $round: nothing left to do" 0 "$kc" plan --detailed-exitcode
  out=$(compare_world)
  equals "round $round: one object per stored resource" "ok $total"

  if ((round % 2 == 0)); then
    d3=0.$(printf '%03d' $((50 + RANDOM % 550)))
    kill_during "round $round: destroy killed after ${d3}s" "$d3" "$kc" destroy --auto-approve
    out=$(compare_world forgotten)
    contains "round $round: the killed destroy forgot no object" "ok"
    run "round $round: destroy finishes" 0 "$kc" destroy --auto-approve
    out=$(compare_world)
    equals "round $round: nothing left" "ok 0"
  fi
done

# A destroy right after a killed apply settles the pending creates too: it deletes what they made.
for round in 1 2 3; do
  rm -rf .kc
  d=0.$(printf '%03d' $((100 + RANDOM % 600)))
  kill_during "destroy after a killed apply $round (${d}s)" "$d" "$kc" apply --auto-approve
  run "destroy after a killed apply $round: destroy finishes" 0 "$kc" destroy --auto-approve
  out=$(compare_world)
  equals "destroy after a killed apply $round: nothing left" "ok 0"
done

# The kill points must have hit the moments this test is about.
echo "kills leaving pending creates: $kills_pending, leaving a journal: $kills_journal;" \
  "converging applies that adopted an object: $adopted"
if ((kills_pending > 0 && kills_journal > 0)); then
  pass "kills landed during creates and between saves"
else
  fail "kills never left a pending create or a journal: the kill points miss the apply"
fi

finish
