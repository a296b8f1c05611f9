# --limit takes a known NAME and a positive number
args: scan --limit yaml-depth=0 examples/ecs
