# top-level help lists every command
args: --help
