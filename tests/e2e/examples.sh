#!/usr/bin/env bash
# End-to-end checks of examples/: every example checks and lints clean and is canonically
# formatted; the spec's sample (ha-prod) evaluates to the values its comments state; the Kubespray
# topologies place etcd and roles as documented; and ha-prod applies on the sim provider and then
# plans no changes. Usage: examples.sh path/to/kc
set -euo pipefail
kc=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for example in "$root"/examples/*/; do
  name=$(basename "$example")
  run "$name checks clean" 0 "$kc" check "$example"
  [ -z "$out" ] && pass "$name: no diagnostics" || fail "$name: diagnostics" "$out"
  run "$name is formatted" 0 "$kc" fmt --check "$example"
  # Lint clean (or with a justified ignore), judging support on the day the examples were last
  # reviewed, so the test does not change with the calendar.
  copy="$work/lint/$name"
  mkdir -p "$copy"
  cp -r "$example". "$copy"
  printf 'rules:\n  kubernetes-version-eol:\n    as_of: 2026-11-21\n' >"$copy/.kc-lint.yaml"
  run "$name lints clean" 0 "$kc" lint "$copy"
  [ -z "$out" ] && pass "$name: no findings" || fail "$name: findings" "$out"
done

ha="$root/examples/ha-prod"
run "ha-prod subnets" 0 "$kc" eval "$ha" --expr 'subnets'
contains "subnets are the zones' /24s" '"10.0.0.0/24",'
contains "third subnet" '"10.0.2.0/24"'
run "ha-prod app pool" 0 "$kc" eval "$ha" --expr 'prod.node_pool["app"].replicas'
equals "app pool takes the workers param" '6'
run "ha-prod infra pool" 0 "$kc" eval "$ha" --expr 'prod.node_pool["infra"].replicas'
equals "infra pool has 3" '3'
run "ha-prod with --var" 0 "$kc" eval "$ha" --var workers=9 --expr 'prod.node_pool["app"].replicas'
equals "--var reaches the pool" '9'
run "ha-prod labels" 0 "$kc" eval "$ha" --expr 'prod.node_pool["infra"].labels'
contains "tier label" '"tier": "infra"'
contains "env label" '"env": "prod"'
run "ha-prod addons" 0 "$kc" eval "$ha" --expr 'keys(prod.addon)'
contains "coredns addon" '"coredns"'
contains "metrics_server addon" '"metrics_server"'
run "ha-prod kubeconfig path" 0 "$kc" eval "$ha" --expr 'prod.kubeconfig_path'
contains "kubeconfig under .kc" '".kc/kubernetes/kubeconfig"'
run "ha-prod workers out of range" 1 "$kc" check "$ha" --var workers=501
contains "range error names the bound" 'error[E0304]'

run "ha-prod desired state" 0 "$kc" check --dump=desired "$ha"
for address in 'prod.sim.network[\"main\"]' 'prod.sim.machine[\"cp-2\"]' 'prod.sim.machine[\"app-5\"]' \
  'prod.sim.etcd_member[\"cp-0\"]' 'prod.sim.bootstrap[\"control-plane\"]' \
  'prod.sim.kubeconfig[\"admin\"]' 'prod.sim.addon[\"calico\"]'; do
  contains "has $address" "\"address\": \"$address\""
done
contains "control plane rolls out with quorum" '"group": "control-plane"'
contains "machines drain before delete" '"before_destroy": ['

run "3-node etcd hosts" 0 "$kc" eval "$root/examples/3-node" --expr 'small.etcd_hosts'
contains "3-node: two control-plane members and the worker" '"node-0"'
run "5-node etcd hosts" 0 "$kc" eval "$root/examples/5-node" --expr 'medium.etcd_hosts'
contains "5-node: members on the workers" '"node-2"'
lacks "5-node: none on the control plane" '"cp-0"'
run "7-node etcd hosts" 0 "$kc" eval "$root/examples/7-node" --expr 'large.etcd_hosts'
contains "7-node: dedicated etcd machines" '"etcd-2"'

cp -r "$ha" "$work/ha"
run "ha-prod applies on sim" 0 "$kc" apply --auto-approve "$work/ha"
contains "39 resources created" 'Resources: 39 created'
run "ha-prod then has no changes" 0 "$kc" plan --detailed-exitcode "$work/ha"
[ -s "$work/ha/.kc/kubernetes/kubeconfig" ] && pass "kubeconfig written" || fail "kubeconfig written"
run "ha-prod destroys" 0 "$kc" destroy --auto-approve "$work/ha"
[ ! -e "$work/ha/.kc/kubernetes/kubeconfig" ] && pass "kubeconfig removed" || fail "kubeconfig removed"

finish
