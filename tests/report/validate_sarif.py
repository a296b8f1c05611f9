#!/usr/bin/python3
"""Validate bulkhead's SARIF against the official SARIF 2.1.0 schema.

    tests/report/validate_sarif.py BULKHEAD SCHEMA PATH...

Scans each PATH with --format sarif and validates the output (Draft 7, as
the schema declares), then checks what GitHub code scanning relies on:
every result's ruleIndex points at its rule, regions are 1-based, every
result has a partialFingerprint, and a suppressed result carries
suppressions.  Exit 77 (skipped) when the schema (../shared) or the
jsonschema module (Debian python3-jsonschema) is missing.
"""
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: the jsonschema module is missing (apt-get install python3-jsonschema)")
    sys.exit(77)


def main():
    bulkhead, schema_path, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    if not os.path.exists(schema_path):
        print(f"SKIP: {schema_path} not found (it sits beside the checkout in CI)")
        return 77
    schema = json.load(open(schema_path))
    validator = jsonschema.Draft7Validator(schema)
    failures = 0
    for path in paths:
        run = subprocess.run([bulkhead, "scan", "--format", "sarif", path],
                             capture_output=True, text=True)
        if run.returncode not in (0, 1, 3):
            print(f"{path}: bulkhead exited {run.returncode}: {run.stderr}")
            failures += 1
            continue
        doc = json.loads(run.stdout)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors[:5]:
            print(f"{path}: schema: {'/'.join(map(str, e.path))}: {e.message}")
        failures += len(errors)
        run0 = doc["runs"][0]
        rules = run0["tool"]["driver"]["rules"]
        for r in run0["results"]:
            if rules[r["ruleIndex"]]["id"] != r["ruleId"]:
                print(f"{path}: ruleIndex of {r['ruleId']} points at another rule")
                failures += 1
            region = r["locations"][0]["physicalLocation"].get("region", {})
            if region and (region["startLine"] < 1 or region["startColumn"] < 1):
                print(f"{path}: region not 1-based: {region}")
                failures += 1
            if len(r["partialFingerprints"]["bulkhead/v1"]) != 16:
                print(f"{path}: bad fingerprint in {r['ruleId']}")
                failures += 1
        report = json.loads(subprocess.run([bulkhead, "scan", "--format", "json", path],
                                           capture_output=True, text=True).stdout)
        want = sum(1 for r in report["results"]
                   if r.get("suppression") and r["status"] in ("INCOMPLIANT", "UNDETERMINED"))
        got = sum(1 for r in run0["results"] if r.get("suppressions"))
        if got != want:
            print(f"{path}: {got} SARIF results carry suppressions, the JSON report has {want}")
            failures += 1
        print(f"{path}: {len(run0['results'])} results ({got} suppressed), {len(rules)} rules, "
              f"{len(errors)} schema errors")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
