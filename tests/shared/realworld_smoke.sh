#!/usr/bin/env bash
# Scan the whole real-world corpus: bulkhead must finish without crashing
# (exit 0, 1 or 3 only), emit a valid JSON report, and scan every file it
# reads.  Skipped (exit 77) where ../shared is absent.
set -uo pipefail
bin=$1 shared=$2
corpus=$shared/corpus/realworld
if [ ! -d "$corpus" ]; then
  echo "SKIP: $corpus not found (it sits beside the checkout in CI)"
  exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin" scan --format json "$corpus" >"$out" 2>/dev/null
rc=$?
case $rc in
  0|1|3) ;;
  *) echo "bulkhead exited $rc on the real-world corpus"; exit 1 ;;
esac
python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["summary"]
print(f"realworld: {s['files']} files, {s['results']} results, "
      f"{s['INCOMPLIANT']} incompliant, {s['UNDETERMINED']} undetermined, "
      f"{s['errors']} errors, {s['warnings']} warnings")
assert s["files"] > 1000, "too few files scanned"
for e in r["errors"]:
    assert e["file"] and e["message"], e
PY
