#!/usr/bin/env bash
# End to end: saved plans. `kc plan --out` writes a 0600 file that `kc show` renders exactly as the
# plan was printed (text and JSON, secrets hidden though the file holds them); `kc apply FILE`
# applies exactly that plan; a saved plan is refused (E0502) once the state or the module moved on,
# leaving the state untouched; a damaged file is refused with E0505, never a crash.
set -euo pipefail
kc=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
enter_workdir

write_module() {  # write_module CPU
  cat >main.kcl <<KCL
param memory: bytes = 4Gi

schema Secrets {
  @secret zone: string
}
let s = Secrets { zone = "hidden-zone" }

web = resource sim.machine web {
  cpu    = $1
  memory = memory
  zone   = s.zone
}

db = resource sim.machine db {
  cpu    = 2
  memory = 4Gi
  zone   = web.zone
}

output web_id = web.id
KCL
}

state_summary() {  # the serial and the stored resources with their cpu
  python3 - <<'PY'
import json
s = json.load(open(".kc/state.json"))
print(s["serial"], [(r["address"], r["attributes"].get("cpu")) for r in s["resources"]])
PY
}

write_module 2

# --- plan --out, show, apply FILE on an empty state ---
run "plan --out" 0 "$kc" plan --var memory=8Gi --out first.plan
contains "says where the plan went" "Saved the plan to first.plan. To apply exactly this plan: kc apply first.plan"
run "plan file mode" 0 stat -c %a first.plan
equals "is 0600" "600"
run "the file holds the secret (apply needs it)" 0 grep -c hidden-zone first.plan
run "the file records the input" 0 grep -c '"--var memory=8Gi"' first.plan

"$kc" plan --var memory=8Gi >plan.txt
"$kc" show first.plan >show.txt
if cmp -s plan.txt show.txt; then pass "kc show FILE prints the plan's text"; else
  fail "kc show FILE differs from kc plan" "$(diff plan.txt show.txt)"; fi
"$kc" plan --var memory=8Gi --json >plan.json
"$kc" show --json first.plan >show.json
if cmp -s plan.json show.json; then pass "kc show --json FILE prints kc plan --json"; else
  fail "kc show --json FILE differs from kc plan --json" "$(diff plan.json show.json)"; fi
run "show text" 0 "$kc" show first.plan
contains "show has the plan" "Plan: 2 to create"
lacks "show never prints the secret" "hidden-zone"
run "show json" 0 "$kc" show --json first.plan
lacks "show --json never prints the secret" "hidden-zone"
contains "show --json hides it" '"zone": "(sensitive)"'
run "plan --json --out keeps stdout JSON" 0 python3 -c "import json,subprocess,sys; json.loads(subprocess.run(['$kc','plan','--var','memory=8Gi','--json','--out','json.plan'],capture_output=True,text=True).stdout)"

[ ! -e .kc/state.json ] && pass "planning stored nothing" || fail "planning stored a state"
run "apply FILE" 0 "$kc" apply first.plan
contains "applies the saved plan" "Applying the saved plan first.plan"
contains "exactly its changes" "Apply complete! Resources: 2 created, 0 updated, 0 replaced, 0 deleted"
lacks "apply never prints the secret" "hidden-zone"
run "the saved input was used" 0 grep -c '"memory": "8Gi"' .kc/state.json
equals "by web (db sets 4Gi itself)" "1"
run "a following plan with the same input" 0 "$kc" plan --var memory=8Gi --detailed-exitcode
contains "has no changes" "No changes."

# --- drift: the saved plan keeps it, attribute by attribute ---
python3 - <<'PY'
import json
w = json.load(open(".kc/sim/world.json"))
m = next(iter(w["machines"].values()))
m["cpu"] = m["cpu"] + 5  # changed behind kc's back
json.dump(w, open(".kc/sim/world.json", "w"))
PY
"$kc" plan --var memory=8Gi --json --out drift.plan >drift_plan.json 2>/dev/null
"$kc" show --json drift.plan >drift_show.json
if cmp -s drift_plan.json drift_show.json; then pass "show --json FILE prints the drift as plan --json did"; else
  fail "show --json FILE differs from plan --json" "$(diff drift_plan.json drift_show.json)"; fi
run "the drift is there" 0 python3 -c "import json; d=json.load(open('drift_show.json'))['drift']; assert len(d)==1 and d[0]['action']=='update', d"
"$kc" plan --var memory=8Gi >drift_plan.txt 2>/dev/null
"$kc" show drift.plan >drift_show.txt
if cmp -s drift_plan.txt drift_show.txt; then pass "show FILE prints the drift as plan did"; else
  fail "show FILE differs from plan" "$(diff drift_plan.txt drift_show.txt)"; fi
run "show names the drifted attribute" 0 grep -c "cpu" drift_show.txt
run "applying the saved plan puts the machine back" 0 "$kc" apply drift.plan
run "after which" 0 "$kc" plan --var memory=8Gi --detailed-exitcode
contains "nothing drifts or changes" "No changes."

# --- a saved plan refused after the state moved ---
write_module 4
run "second plan --out" 0 "$kc" plan --var memory=8Gi --out second.plan
contains "plans the update" "~ cpu"
before=$(state_summary)
write_module 3
run "another apply moves the state" 0 "$kc" apply --var memory=8Gi --auto-approve
moved=$(state_summary)
write_module 4  # the module is as it was when second.plan was made: only the state moved
run "apply of the old plan" 1 "$kc" apply second.plan
contains "is refused as stale" "error[E0502]"
contains "names both serials" "the state has changed since this plan was made (serial"
contains "says what to do" "run \`kc plan\` again"
lacks "applies nothing" "Apply complete"
after=$(state_summary)
[ "$after" = "$moved" ] && pass "the state is unchanged (serial, resources)" ||
  fail "the refused apply changed the state" "$moved -> $after"
[ "$before" != "$moved" ] && pass "(the other apply did move it)" || fail "the state did not move"

# --- a saved plan refused after the module changed ---
run "third plan --out" 0 "$kc" plan --var memory=8Gi --out third.plan
echo "# edited" >>main.kcl
run "apply after an edit" 1 "$kc" apply third.plan
contains "is refused" "error[E0502]"
contains "names the file" "\`main.kcl\` was edited"
write_module 4
echo 'extra = 1' >extra.kcl
run "apply after a file was added" 1 "$kc" apply third.plan
contains "names the new file" "\`extra.kcl\` was added"
rm extra.kcl
run "--var is refused with a saved plan" 1 "$kc" apply --var memory=1Gi third.plan
contains "saying why" "carries the inputs it was made with"
run "the restored module applies" 0 "$kc" apply third.plan
contains "the update" "1 updated"
run "a following plan" 0 "$kc" plan --var memory=8Gi --detailed-exitcode
contains "has no changes" "No changes."

# --- damaged and foreign files ---
head -c 200 third.plan >truncated.plan
run "a truncated plan file" 1 "$kc" apply truncated.plan
contains "is refused with E0505" "error[E0505]"
contains "saying why" "not valid JSON"
lacks "no crash" "terminate"
printf 'garbage\0\377' >garbage.kcl.bak
run "a garbage file" 1 "$kc" apply garbage.kcl.bak
contains "is refused with E0505" "error[E0505]"
run "show of a truncated file" 1 "$kc" show truncated.plan
contains "is refused with E0505" "error[E0505]"
sed 's/"format_version": 2/"format_version": 9/' third.plan >future.plan
run "a plan file of a future format" 1 "$kc" apply future.plan
contains "names the version" "format version 9"
mkdir elsewhere
cp third.plan elsewhere/named.kcl
run "a plan file named .kcl is still a plan" 1 "$kc" apply elsewhere/named.kcl
contains "(recognised by its content)" "error[E0502]"

# --- kc show without a plan: the current state, secrets hidden ---
run "show the state" 0 "$kc" show
contains "lists the resources" '# sim.machine["web"] (sim.machine)'
contains "with attributes" "cpu "
contains "secrets hidden" "= (sensitive)"
contains "and outputs" "web_id = "
lacks "never the secret" "hidden-zone"
run "show --json the state" 0 "$kc" show --json .
contains "secrets hidden" '"zone": "(sensitive)"'
lacks "never the secret" "hidden-zone"

finish
