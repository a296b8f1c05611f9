# a malformed config is a usage error naming each problem's file and line
args: scan --config tests/cli/data/suppress/configs/malformed.yaml tests/cli/data/suppress/project
