# JUnit XML escapes markup and quotes in names and messages; the XML parses (script)
script: tests/cli/scripts/junit_wellformed.sh
