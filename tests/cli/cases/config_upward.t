# .bulkhead.yaml found above the scanned path: skip_policies, exclude,
# severity_overrides, a config suppression (JSON), an expired one (warning)
env: BH_TODAY=2026-01-01
args: scan --format json tests/cli/data/suppress/project/deploy
