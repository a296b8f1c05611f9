# --all lists every status
args: scan --all examples/ecs/api-hardened.json examples/ecs/describe-inactive.json
