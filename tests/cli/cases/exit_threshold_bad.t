# an unknown --severity-threshold level is a usage error
args: scan --severity-threshold urgent tests/cli/data/suppress/inline
