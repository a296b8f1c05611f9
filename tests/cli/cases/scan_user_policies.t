# --policies adds user policy folders
args: scan --policies tests/cli/data/policies --policy custom/no-latest-tag --all tests/cli/data/policies/custom/no-latest-tag/tests
