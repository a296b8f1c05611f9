#!/usr/bin/env bash
# Build the libFuzzer targets with clang (ASan+UBSan) and fuzz one of them.
#
#   tests/fuzz/run.sh TARGET SECONDS      TARGET: yaml json hcl expr scan tfeval cfn policy
#
# The corpus grows in build-fuzz/corpus-TARGET (not committed); seeds are the
# target's replay inputs; a crash is written to build-fuzz/ and must be
# copied to tests/fuzz/regressions/TARGET/ with its fix.  The final line of
# libFuzzer's statistics is printed for docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=$1 secs=$2
CC=clang cmake -S . -B build-fuzz -DBH_FUZZ=ON -DBH_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "fuzz-$target" >/dev/null
corpus=build-fuzz/corpus-$target
mkdir -p "$corpus"
case $target in
  yaml) seeds="examples/kubernetes examples/compose examples/cloudformation tests/cli/data/mixed" ;;
  json) seeds="tests/data/json examples/ecs" ;;
  hcl) seeds="tests/data/hcl" ;;
  expr) seeds="tests/fuzz/seeds/expr" ;;
  tfeval) seeds="$(echo policies/*/*/*/tests/tf-*) examples/terraform examples/terraform/modules/service" ;;
  cfn) seeds="examples/cloudformation policies/aws/ecs/task-definition-host-network-mode/tests" ;;
  policy) seeds="tests/fuzz/seeds/policy" ;;
  scan) seeds="examples/ecs examples/kubernetes examples/compose tests/cli/data/mixed" ;;
esac
for s in $seeds tests/fuzz/regressions/$target; do
  find "$s" -maxdepth 1 -type f ! -name .keep -exec cp {} "$corpus/" \; 2>/dev/null || true
done
dict=tests/fuzz/$target.dict
[ "$target" = tfeval ] && dict=tests/fuzz/hcl.dict
[ "$target" = cfn ] && dict=tests/fuzz/yaml.dict
[ "$target" = policy ] && dict=tests/fuzz/expr.dict
opts=(-max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -artifact_prefix=build-fuzz/)
[ -f "$dict" ] && opts+=(-dict="$dict")
build-fuzz/tests/fuzz-"$target" "${opts[@]}" "$corpus" 2>&1 | grep -E "^#[0-9]+[[:space:]]+DONE|^Done|ERROR|SUMMARY|Test unit written"
