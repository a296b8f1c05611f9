# an unknown policy id is a usage error
args: scan --policy aws/ecs/nope examples
