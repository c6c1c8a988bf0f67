#!/usr/bin/env bash
# End to end: a secret never appears in what kc prints (plan, apply, outputs, provider errors),
# while the state keeps the value and records which attributes and outputs are secret.
set -euo pipefail
kc=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
enter_workdir

write_module() {  # write_module CPU
  cat >main.kcl <<KCL
schema Secrets {
  @secret zone: string
}
let s = Secrets { zone = "hidden-zone" }

web = resource sim.machine web {
  cpu    = $1
  memory = 4Gi
  zone   = s.zone
}

db = resource sim.machine db {
  cpu    = 2
  memory = 4Gi
  zone   = web.zone
}

output web_zone = web.zone
output web_id = web.id
KCL
}

write_module 2
run "plan" 0 "$kc" plan
contains "plan hides an attribute set from a secret" "+ zone     = (sensitive)"
lacks "plan never shows the secret" "hidden-zone"
run "plan json" 0 "$kc" plan --json
contains "plan json hides it" '"zone": "(sensitive)"'
lacks "plan json never shows the secret" "hidden-zone"

run "apply" 0 "$kc" apply --auto-approve
contains "apply prints the secret output hidden" "web_zone = (sensitive)"
contains "apply prints other outputs" 'web_id = "m-'
lacks "apply never shows the secret" "hidden-zone"
run "state keeps the value" 0 grep -c '"zone": "hidden-zone"' .kc/state.json
equals "both machines store it" "2"
run "state records the secret attributes" 0 grep -c '"sensitive_attributes"' .kc/state.json
equals "for both machines" "2"
run "state records the secret output" 0 grep -A1 '"sensitive_outputs"' .kc/state.json
contains "by name" '"web_zone"'

write_module 3
run "an update keeps it hidden" 0 "$kc" plan
contains "the update shows the cpu change" "~ cpu"
lacks "update plan never shows the secret" "hidden-zone"

# A delete plans from the state alone: the recorded names keep the stored value hidden.
echo "" >main.kcl
run "destroy plan" 0 "$kc" plan
contains "deleted secret attribute hidden" "- zone     = (sensitive) -> null"
lacks "destroy plan never shows the secret" "hidden-zone"

# A provider error that echoes a value does not echo a secret.
cat >main.kcl <<'KCL'
schema Creds {
  @secret role: string
}
let c = Creds { role = "hunter2" }
join = resource sim.join worker {
  cluster    = "dev"
  machine    = "m-0001"
  endpoint   = "10.0.0.1:6443"
  token      = "abcdef.0123456789abcdef"
  role       = c.role
  kubernetes = v1.29.4
}
KCL
run "provider rejects the value" 1 "$kc" plan
contains "its message hides the secret" 'got "(sensitive)"'
lacks "the provider error never shows the secret" "hunter2"

finish
