#!/usr/bin/env bash
# End to end through the real binary on a temporary module: check -> plan -> apply -> plan (no
# changes) -> update in place -> replace -> drift -> destroy.
set -euo pipefail
kc=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
enter_workdir

write_module() {  # write_module MEMORY ZONE
  cat >main.kcl <<KCL
param zone: string = "$2"

web = resource sim.machine web {
  cpu    = 2
  memory = $1
  zone   = zone
}

db = resource sim.machine db {
  cpu    = 4
  memory = 8Gi
  zone   = web.zone
}

output web_ip = web.ip
KCL
}

write_module 4Gi a
run "check" 0 "$kc" check
run "plan before apply has changes" 2 "$kc" plan --detailed-exitcode
contains "plan creates both" "Plan: 2 to create, 0 to update, 0 to replace, 0 to delete."
contains "outputs unknown before apply" "(known after apply)"
run "plan json" 0 "$kc" plan --json
contains "plan json summary" '"create": 2'

run "apply without --auto-approve off a terminal is refused" 1 "$kc" apply </dev/null
[ ! -e .kc/state.json ] && pass "refused apply wrote no state" || fail "refused apply wrote state"

run "apply" 0 "$kc" apply --auto-approve
contains "web created" 'sim.machine["web"]: Creation complete'
contains "db created" 'sim.machine["db"]: Creation complete'
contains "output printed" "web_ip ="
python3 - <<'PY' && pass "state holds both machines with outputs" || fail "state content"
import json
s = json.load(open(".kc/state.json"))
addrs = [r["address"] for r in s["resources"]]
assert addrs == ['sim.machine["db"]', 'sim.machine["web"]'], addrs
db = next(r for r in s["resources"] if r["address"] == 'sim.machine["db"]')
assert db["dependencies"] == ['sim.machine["web"]'], db["dependencies"]
assert all(r["attributes"]["id"].startswith("m-") for r in s["resources"])
assert s["outputs"]["web_ip"].count(".") == 3, s["outputs"]
PY
[ "$(stat -c %a .kc/state.json)" = 600 ] && pass "state file mode 0600" || fail "state file mode"

run "plan after apply has no changes" 0 "$kc" plan --detailed-exitcode
contains "no changes" "No changes."

write_module 6Gi a
run "memory change is an update" 2 "$kc" plan --detailed-exitcode
contains "one update" "0 to create, 1 to update, 0 to replace, 0 to delete"
run "apply the update" 0 "$kc" apply --auto-approve
run "converged after update" 0 "$kc" plan --detailed-exitcode

write_module 6Gi b
run "zone change forces replacement of both" 2 "$kc" plan --detailed-exitcode
contains "two replacements" "0 to create, 0 to update, 2 to replace, 0 to delete"
contains "reason shown" "forces replacement"
run "apply the replacement" 0 "$kc" apply --auto-approve
run "converged after replace" 0 "$kc" plan --detailed-exitcode

run "destroy" 0 "$kc" destroy --auto-approve
contains "both deleted" "Destruction complete"
python3 -c 'import json,sys; s=json.load(open(".kc/state.json")); sys.exit(1 if s["resources"] or s["outputs"] else 0)' \
  && pass "state empty after destroy" || fail "state not empty after destroy"
run "plan after destroy creates again" 2 "$kc" plan --detailed-exitcode
contains "creates again" "Plan: 2 to create"

# The documented way out of prevent_destroy (docs/diagnostics.md E0501): set it to false, apply
# (no change to the machine, but the state records the setting), then remove the resource.
protected_module() {  # protected_module true|false
  cat >main.kcl <<KCL
web = resource sim.machine web {
  cpu    = 2
  memory = 4Gi
  zone   = "a"
  lifecycle { prevent_destroy = $1 }
}
KCL
}
protected_module true
run "apply a protected machine" 0 "$kc" apply --auto-approve
echo 'x = 1' >main.kcl
run "removing it is refused" 1 "$kc" plan
contains "E0501 names it" "error[E0501]"
protected_module false
run "apply prevent_destroy = false" 0 "$kc" apply --auto-approve
contains "the setting is recorded" "Recorded the new settings"
echo 'x = 1' >main.kcl
run "now removing it plans a delete" 2 "$kc" plan --detailed-exitcode
contains "one delete" "0 to create, 0 to update, 0 to replace, 1 to delete"
run "and applies" 0 "$kc" apply --auto-approve

echo 'broken = resource sim.machine x { cpu = "two" }' >main.kcl
run "type error fails check" 1 "$kc" check
contains "E0301 reported" "error[E0301]"
run "and blocks plan" 1 "$kc" plan

finish
