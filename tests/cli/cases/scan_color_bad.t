# --color takes auto, always or never
args: scan --color sometimes examples/ecs
