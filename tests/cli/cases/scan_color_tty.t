# --color auto on a terminal: colour, unless NO_COLOR is set (script gives the terminal)
script: tests/cli/scripts/color_tty.sh
