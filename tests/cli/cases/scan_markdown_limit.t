# Markdown lists at most 50 findings, most severe first (a pull-request comment has a size limit)
script: tests/cli/scripts/markdown_limit.sh
