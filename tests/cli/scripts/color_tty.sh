#!/usr/bin/env bash
# Run under a pseudo-terminal: colour by default, none with NO_COLOR.
bin=$1
cmd="$bin scan -p aws/ecs/task-definition-pid-mode examples/terraform/main.tf"
with=$(env -u NO_COLOR script -qec "$cmd" /dev/null | grep -c $'\033\\[')
without=$(NO_COLOR=1 script -qec "$cmd" /dev/null | grep -c $'\033\\[')
echo "terminal: $([ "$with" -gt 0 ] && echo colour || echo none)"
echo "terminal with NO_COLOR: $([ "$without" -gt 0 ] && echo colour || echo none)"
