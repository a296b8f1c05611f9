#!/usr/bin/env bash
# Quick start, part 2: set up and run the whole test suite, twice: a
# release build with -Werror, then an AddressSanitizer + UBSan build.
# BH_FAST=1 skips the sanitizer pass (for a quick local loop).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

BH_TEST_DEPS=1 scripts/setup.sh build -DBH_WERROR=ON
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${BH_FAST:-0}" != 1 ]; then
  scripts/setup.sh build-asan -DBH_WERROR=ON -DBH_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"

  # Every libFuzzer target built with clang and run briefly, so none rots
  # (long runs: tests/fuzz/run.sh, docs/fuzzing.md).
  for t in $(sed -n 's/^set(BH_FUZZ_TARGETS \(.*\))$/\1/p' tests/CMakeLists.txt); do
    bash tests/fuzz/run.sh "$t" "${BH_FUZZ_SECONDS:-10}"
  done
fi

# A short benchmark run, so bench/ never rots (a report, not a gate).
if [ "${BH_FAST:-0}" != 1 ]; then
  BH_BENCH_OUT=build/bench-quick.md bash bench/run.sh --quick >/dev/null 2>&1 &&
    echo "bench: build/bench-quick.md" || echo "bench: failed (not a gate)"
fi
