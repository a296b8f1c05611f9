# inline suppressions in YAML: applied with a reason (on the line, above the
# object); no reason, unknown id, malformed and expired dates warn, not applied
env: BH_TODAY=2026-01-01
args: scan tests/cli/data/suppress/inline
