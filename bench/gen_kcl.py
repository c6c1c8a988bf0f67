#!/usr/bin/env python3
"""Writes a large, realistic KCL file for the parser benchmark: schemas, enums, type aliases with
checks, functions, params, and many cluster-like exports with nested bodies, generators, lists,
comprehensions, interpolated strings, domain literals and comments. Deterministic.

  bench/gen_kcl.py LINES > big.kcl
"""
import sys

HEADER = '''## Generated benchmark module.
import "std/net"

param environment: string = "prod"
param workers: int(1..500) = 6

type Port = int(1..65535)
type DnsLabel = string check {
  len(self) <= 63                                   : "at most 63 characters"
  matches(self, "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")  : "must be a DNS-1123 label"
}

enum Tier { app, infra }

fn zone_subnet(base: cidr, i: int) -> cidr = net.subnet(base, 8, i)

'''

BLOCK = '''## Pool group {i}.
schema Pool{i} {{
  @key name: DnsLabel
  ## Number of machines.
  replicas: int(0..1000) = 3
  labels: {{string: string}} = {{}}
  autoscale: Autoscale?
  let capacity = replicas * 4
  check {{
    replicas > 0 || autoscale != null : "a pool with no replicas needs autoscale"
  }}
}}

let zones_{i} = ["a", "b", "c"]
let base_{i} = 10.{a}.0.0/16

cluster_{i} = Cluster {{
  provider   = sim
  region     = "eu-west-{r}"
  zones      = zones_{i}
  kubernetes = v1.29.{p}

  network {{
    plugin       = calico
    node_cidr    = base_{i}
    pod_cidr     = 10.233.64.0/18
    service_cidr = 10.233.0.0/18
  }}
  etcd {{ members = 3 }}
  control_plane {{
    replicas = 3
    machine  = {{ cpu = 4, memory = 16Gi }}
  }}
  for t in [Tier.app, Tier.infra] {{
    node_pool "${{t}}-{i}" {{
      replicas = if t == app then workers * 2 + 1 else 3
      machine  = {{ cpu = 8, memory = 32Gi, disk = 200Gi }}
      labels   = {{ "tier" = "${{t}}", "env" = environment }}
      upgrade  {{ max_surge = 25%, max_unavailable = 0, drain_timeout = 10m30s }}
    }}
  }}
  addon coredns {{}}
  addon metrics_server {{ version = v0.7.1 }}  # pinned
}}

subnets_{i} = [for z in range(len(zones_{i})) if z >= 0: zone_subnet(base_{i}, z)]
ports_{i} = {{for k, v in {{ "http" = 80, "https" = 443 }}: k => v + {i} % 7}}
'''


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    out = [HEADER]
    count = HEADER.count("\n")
    i = 0
    while count < lines:
        block = BLOCK.format(i=i, a=i % 256, r=i % 3 + 1, p=i % 10)
        out.append(block)
        count += block.count("\n")
        i += 1
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
