# a path that does not exist
args: scan does/not/exist
