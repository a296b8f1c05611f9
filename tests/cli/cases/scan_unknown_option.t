# unknown option
args: scan --bogus examples
