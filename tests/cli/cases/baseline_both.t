# --baseline and --create-baseline do not combine
args: scan --baseline a.json --create-baseline b.json tests/cli/data/baseline/app
