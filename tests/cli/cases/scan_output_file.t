# --output writes the report to a file
args: scan --format json --output /dev/null examples/ecs/api-hardened.json
