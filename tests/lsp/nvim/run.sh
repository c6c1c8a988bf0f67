#!/usr/bin/env bash
# Runs tests/lsp/nvim/client.lua in headless Neovim against `kc lsp` on a copy of workspace/.
#   run.sh KC
set -euo pipefail
kc=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v nvim >/dev/null; then
  echo "FAIL nvim is not installed (scripts/install-deps.sh installs it)"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/workspace" "$work/ws"
cd "$work/ws"
KC="$kc" WORKSPACE="$work/ws" HOME="$work" timeout 300 \
  nvim --headless --clean -u NONE -c "luafile $here/client.lua"
