# the catalog
args: policies list
