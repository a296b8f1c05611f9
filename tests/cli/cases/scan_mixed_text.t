# the same in text
args: scan tests/cli/data/mixed
