#!/usr/bin/env bash
# Installs the Debian bookworm packages that building and testing kc need.
# Idempotent: installs only what is missing, and does nothing (not even `apt-get update`) when all is there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  antlr4 libantlr4-runtime-dev
  libyaml-cpp-dev nlohmann-json3-dev libfmt-dev libcli11-dev
  libcurl4-openssl-dev libssl-dev doctest-dev
  python3 pre-commit
  neovim
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
