#!/usr/bin/env bash
# The report is the same whatever the thread count, also when one module is
# evaluated twice through two callers (same object name, same lines).
bin=$1
t=${TMPDIR:-/tmp}
for j in 1 2 4 8; do
  "$bin" scan -j "$j" --format json tests/data/tf-shared examples >"$t/bh-det-$j.json"
done
for j in 2 4 8; do
  cmp -s "$t/bh-det-1.json" "$t/bh-det-$j.json" && echo "-j $j: identical to -j 1" || echo "-j $j: DIFFERS"
done
grep -c '"object": "module.task.aws_ecs_task_definition.this"' "$t/bh-det-1.json"
