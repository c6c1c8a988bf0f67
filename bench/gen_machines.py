#!/usr/bin/env python3
"""Writes a module with N sim.machine resources, each reading the previous one's zone (a chain of
references, the worst case for dependency tracking), to stdout.

  gen_machines.py N > main.kcl
"""
import sys

n = int(sys.argv[1])
print('param zone: string = "a"\n')
for i in range(n):
    zone = "zone" if i == 0 else f"m{i - 1}.zone"
    print(f"m{i} = resource sim.machine m{i} {{\n  cpu    = {1 + i % 8}\n"
          f"  memory = {1 + i % 16}Gi\n  zone   = {zone}\n}}\n")
