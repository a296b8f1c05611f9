# a baseline that cannot be read is a usage error
args: scan --baseline tests/cli/data/baseline/none.json tests/cli/data/baseline/app
