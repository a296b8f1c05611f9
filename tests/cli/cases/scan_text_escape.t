# control characters from a scanned file (JSON \u escapes) never reach the terminal: U+FFFD instead
args: scan -p aws/ecs/task-definition-host-network-mode tests/data/report/control.json
