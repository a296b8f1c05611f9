# the quick-start scan
args: scan examples
