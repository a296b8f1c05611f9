#!/usr/bin/env bash
# Golden CLI test: run one case and compare with its expectation.
#
#   tests/cli/run_case.sh BULKHEAD SRC_DIR CASE
#
# tests/cli/cases/CASE.t holds the invocation (`args: ...`, shell words,
# run from SRC_DIR) and optionally `stdin: FILE` and `env: NAME=VALUE ...`
# (set for the run, e.g. BH_TODAY).  Instead of `args:`, `script: FILE`
# runs `bash FILE BULKHEAD` from SRC_DIR, for multi-step cases (the script
# prints what it checks; its exit status is recorded).  CASE.out holds the
# expectation: standard output, then "--- stderr" and standard error, then
# "--- exit N".  With BH_UPDATE_GOLDEN=1 the expectation is rewritten
# instead (review the diff before committing).
set -uo pipefail
bin=$1 src=$2 name=$3
cd "$src" || exit 2
t=tests/cli/cases/$name.t
exp=tests/cli/cases/$name.out
grep -q '^args:\|^script:' "$t" || { echo "$t: no 'args:' or 'script:' line" >&2; exit 2; }
args=$(sed -n 's/^args: *//p' "$t")
script=$(sed -n 's/^script: *//p' "$t")
envs=$(sed -n 's/^env: *//p' "$t")
if [ -n "$script" ]; then set -- "$bin"; else eval "set -- $args"; fi

out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err" "$out.all"' EXIT
if [ -n "$script" ]; then
  env $envs NO_COLOR=1 bash "$script" "$@" >"$out" 2>"$err" </dev/null
else
  env $envs NO_COLOR=1 "$bin" "$@" >"$out" 2>"$err" </dev/null
fi
rc=$?
{ cat "$out"; echo "--- stderr"; cat "$err"; echo "--- exit $rc"; } >"$out.all"

if [ "${BH_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$out.all" "$exp"
  echo "updated $exp"
  exit 0
fi
if [ ! -f "$exp" ]; then
  echo "$exp is missing; create it with BH_UPDATE_GOLDEN=1" >&2
  cat "$out.all"
  exit 1
fi
if ! diff -u "$exp" "$out.all"; then
  echo "golden mismatch for $name (regenerate: BH_UPDATE_GOLDEN=1 ctest -R cli/$name)" >&2
  exit 1
fi
