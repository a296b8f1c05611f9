# mixed, partly malformed files: every error with its position, the rest scanned
args: scan --format json tests/cli/data/mixed
