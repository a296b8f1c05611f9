# unknown format
args: scan --format xml examples
