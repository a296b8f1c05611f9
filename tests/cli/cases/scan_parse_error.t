# only unparsable input: exit 3
args: scan examples/broken
