# --exclude skips matching paths
args: scan --exclude broken --exclude 'web-*' examples
