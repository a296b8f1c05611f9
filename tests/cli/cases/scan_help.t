# scan help is generated from the option table
args: scan --help
