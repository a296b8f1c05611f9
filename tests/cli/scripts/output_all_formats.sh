#!/usr/bin/env bash
# --output FILE writes the same report as standard output, in every format.
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in text json sarif junit markdown html; do
  "$bin" scan --format "$f" --framework cis-kubernetes-v1.6.0 examples/ecs > "$tmp/stdout.$f"
  a=$?
  "$bin" scan --format "$f" --framework cis-kubernetes-v1.6.0 --output "$tmp/file.$f" examples/ecs > "$tmp/rest.$f"
  b=$?
  if cmp -s "$tmp/stdout.$f" "$tmp/file.$f" && [ ! -s "$tmp/rest.$f" ] && [ -s "$tmp/file.$f" ]; then
    echo "$f: same report (exit $a, $b)"
  else
    echo "$f: DIFFERENT (exit $a, $b)"
  fi
done
