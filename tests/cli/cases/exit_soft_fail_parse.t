# --soft-fail keeps exit 3 when an input could not be parsed
args: scan --soft-fail examples/ecs examples/broken
