# a malformed user policy is refused with file:line, the rest loads
args: scan --policies tests/cli/data/bad-policies examples/ecs/api-hardened.json
