# an unknown id
args: policies show nope
