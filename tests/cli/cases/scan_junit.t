# JUnit XML: a suite per policy, failures for INCOMPLIANT, errors for UNDETERMINED, skipped for suppressed and INAPPLICABLE
args: scan --format junit examples/terraform examples/ecs tests/data/tf-suppress
