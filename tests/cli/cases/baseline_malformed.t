# a malformed baseline is a usage error naming file and line
args: scan --baseline tests/cli/data/baseline/malformed.json tests/cli/data/baseline/app
