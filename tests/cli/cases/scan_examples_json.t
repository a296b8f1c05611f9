# the JSON report contract on the examples
args: scan --format json examples
