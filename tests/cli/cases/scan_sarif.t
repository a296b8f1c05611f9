# SARIF 2.1.0 for GitHub code scanning (validated against the schema by report/sarif-schema)
args: scan --format sarif examples/ecs examples/cloudformation
