# bulkhead(1) in roff, generated from the command and option tables
args: --man
