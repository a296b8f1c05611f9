# Terraform: a malformed --var or --var-file is a usage error naming file, line and column
args: scan --var nodelimiter --var-file tests/data/tf/bad.tfvars examples/terraform
