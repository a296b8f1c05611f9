#!/usr/bin/env bash
# JUnit output must be well-formed XML with the counts it claims and one
# test case name per (policy, object), whatever the scanned files hold:
# markup and quotes in names and in a file name, control characters,
# a lone surrogate and U+FFFF (not XML characters) in JSON escapes.
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in"
printf '%s' '{"family": "f\u001b[31m\u0007", "networkMode": "host", "containerDefinitions": [{"name": "c\ud800\uffff<&>", "image": "x", "privileged": true}]}' \
  > "$tmp/in/x&y<z>'\".json"
"$bin" scan --format junit -p k8s/pod/host-network -p aws/ecs/task-definition-host-network-mode \
  -p aws/ecs/task-definition-privileged tests/data/report/escape.yaml tests/data/report/control.json \
  examples/kubernetes "$tmp/in" > "$tmp/junit.xml"
echo "exit $?"
python3 - "$tmp/junit.xml" "$tmp/" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall(".//testcase")
def total(key, tag):
    suites = sum(int(s.get(key)) for s in root.findall("testsuite"))
    return [int(root.get(key)), suites, len(root.findall(".//" + tag))]
print("tests (testsuites, sum of suites, testcases):", total("tests", "testcase"))
for key, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
    print(key, "(testsuites, sum of suites, elements):", total(key, tag))
names = [(c.get("classname"), c.get("name")) for c in cases]
print("unique names:", len(set(names)) == len(names))
for c, n in names:
    print(" ", c, "|", n.replace(sys.argv[2], "$TMP/"))
for f in root.iter("failure"):
    print("  failure:", f.text.replace(sys.argv[2], "$TMP/").splitlines()[0])
PY
