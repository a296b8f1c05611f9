# no command is a usage error
args: 
