# frameworks and their controls
args: frameworks list
