# .pre-commit-hooks.yaml: the files pattern matches what bulkhead reads, and the entry runs on them
script: tests/cli/scripts/precommit_hook.sh
