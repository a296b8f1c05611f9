# the same report for any -j, also for one module reached through two callers (script)
script: tests/cli/scripts/deterministic.sh
