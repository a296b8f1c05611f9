#!/usr/bin/env bash
# Run under a pseudo-terminal: colour by default (and with an empty
# NO_COLOR, which no-color.org says to ignore), none with NO_COLOR set or
# with --color never.
bin=$1
cmd="$bin scan -p aws/ecs/task-definition-pid-mode examples/terraform/main.tf"
colour() {
  local n
  n=$(env "$@" script -qec "$cmd" /dev/null | grep -c $'\033\\[')
  [ "$n" -gt 0 ] && echo colour || echo none
}
echo "terminal: $(colour -u NO_COLOR)"
echo "terminal with NO_COLOR: $(colour NO_COLOR=1)"
echo "terminal with NO_COLOR empty: $(colour NO_COLOR=)"
cmd="$cmd --color never"
echo "terminal with --color never: $(colour -u NO_COLOR)"
