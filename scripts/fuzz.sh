#!/usr/bin/env bash
# Fuzzes the parser and formatter with AFL++ (docs/testing.md, "Fuzzing"): builds the fuzz target
# with afl-g++ (+ ASan/UBSan), seeds AFL with tests/fuzz/corpus and every .kcl file of the
# repository, and runs for SECONDS (default 600). Findings land in build/fuzz/findings.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"

if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y afl++; else sudo apt-get install -y afl++; fi
fi

export AFL_USE_ASAN=1 AFL_USE_UBSAN=1
cmake --preset fuzz -DKC_SANITIZE=OFF >/dev/null
cmake --build --preset fuzz --target kc_fuzz_parse -j "$(nproc)"

seeds=build/fuzz/seeds
rm -rf "$seeds" && mkdir -p "$seeds"
cp tests/fuzz/corpus/* "$seeds"/ 2>/dev/null || true
n=0
while IFS= read -r -d '' f; do
  # Large files slow AFL down without teaching it much.
  if [ "$(stat -c %s "$f")" -le 8192 ]; then cp "$f" "$seeds/seed-$n.kcl"; n=$((n + 1)); fi
done < <(find tests/testdata examples stdlib -name '*.kcl' -print0 2>/dev/null)

# AFL_AUTORESUME: a second run continues the findings of the first instead of refusing.
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_AUTORESUME=1
afl-fuzz -i "$seeds" -o build/fuzz/findings -m none -t 2000 -V "$seconds" \
  -x tests/fuzz/kcl.dict -- build/fuzz/tests/kc_fuzz_parse @@ || true

crashes=$(find build/fuzz/findings/default/crashes build/fuzz/findings/default/hangs -type f \
  ! -name README.txt 2>/dev/null | wc -l)
echo "fuzz: $crashes crashing or hanging inputs in build/fuzz/findings/default/{crashes,hangs}"
[ "$crashes" -eq 0 ]
