# a malformed BH_TODAY is a usage error
env: BH_TODAY=tomorrow
args: scan tests/cli/data/suppress/inline
