#!/usr/bin/env bash
# .pre-commit-hooks.yaml: its `files` pattern (a Python regex, as pre-commit
# reads it) matches every file a scan of examples/ reads, and its entry,
# given those files as pre-commit would, reads them all too.
bin=$1
hooks=.pre-commit-hooks.yaml
files=$(sed -n 's/^  files: //p' "$hooks")
entry=$(sed -n 's/^  entry: //p' "$hooks")
echo "entry: $entry; language: $(sed -n 's/^  language: //p' "$hooks")"
"$bin" scan --format json examples | python3 -c '
import json, re, subprocess, sys
rep = json.load(sys.stdin)
read = sorted({r["file"] for r in rep["results"]} | {e["file"] for e in rep["errors"]})
pat = re.compile(sys.argv[1])
missed = [f for f in read if not pat.search(f)]
print("files the scan of examples/ reads:", len(read), "not matched by files:", missed)
staged = sorted(subprocess.run(["find", "examples", "-type", "f"], capture_output=True, text=True).stdout.split())
chosen = [f for f in staged if pat.search(f)]
entry = sys.argv[2].split()
assert entry[0] == "bulkhead"
run = subprocess.run([sys.argv[3]] + entry[1:] + ["--format", "json"] + chosen, capture_output=True, text=True)
hook = json.loads(run.stdout)
hread = sorted({r["file"] for r in hook["results"]} | {e["file"] for e in hook["errors"]})
print("the hook on the matched files: exit", run.returncode, "reads the same files:", hread == read)
' "$files" "$entry" "$bin"
