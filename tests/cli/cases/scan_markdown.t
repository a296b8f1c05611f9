# Markdown for pull-request comments: totals, findings most severe first, remediation folded
args: scan --format markdown examples/terraform tests/data/report/escape.yaml
