# --output FILE works for every format: the file holds what standard output would, and nothing else is printed
script: tests/cli/scripts/output_all_formats.sh
