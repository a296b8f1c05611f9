#!/usr/bin/env bash
# JUnit output must be well-formed XML with the counts it claims.
bin=$1
"$bin" scan --format junit -p k8s/pod/host-network -p aws/ecs/task-definition-host-network-mode tests/data/report/escape.yaml tests/data/report/control.json examples/kubernetes > "${TMPDIR:-/tmp}/bh-junit.xml"
echo "exit $?"
python3 - "${TMPDIR:-/tmp}/bh-junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall(".//testcase")
print("testsuites", root.get("tests"), "failures", root.get("failures"))
print("testcases", len(cases), "failures", len(root.findall(".//failure")))
for c in cases:
    print(" ", c.get("classname"), "|", c.get("name"))
PY
