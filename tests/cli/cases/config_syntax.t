# a config that is not YAML is a usage error
args: scan --config tests/cli/data/suppress/configs/syntax.yaml tests/cli/data/suppress/project
