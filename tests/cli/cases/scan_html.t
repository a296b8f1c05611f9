# The HTML dashboard: one self-contained page, data as escaped JSON
args: scan --format html -p k8s/pod/host-network tests/data/report/escape.yaml
