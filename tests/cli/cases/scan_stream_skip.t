# documents of kinds bulkhead does not read are skipped unparsed; the rest is scanned
args: scan --policy k8s/pod/host-pid --all tests/cli/data/stream
