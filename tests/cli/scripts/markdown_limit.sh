#!/usr/bin/env bash
# Markdown for a pull-request comment stays small: at most 50 findings in
# the table and the fixes, the most severe first, and a line saying so.
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 40); do
  printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p%s\nspec:\n  hostPID: true\n  containers:\n    - name: c\n      image: nginx\n' \
    "$i" > "$tmp/pod-$i.yaml"
done
"$bin" scan --format markdown "$tmp" > "$tmp/out.md"
echo "exit $?"
head -1 "$tmp/out.md"
echo "table rows: $(grep -c '^| [a-z]* | `' "$tmp/out.md")"
echo "fixes: $(grep -c '^- \*\*' "$tmp/out.md")"
echo "severities in order: $(grep -o '^| [a-z]* | `' "$tmp/out.md" | cut -d' ' -f2 | uniq | tr '\n' ' ')"
grep 'most severe' "$tmp/out.md"
