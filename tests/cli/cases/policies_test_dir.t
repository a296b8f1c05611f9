# fixtures of a user policy folder
args: policies test tests/cli/data/policies
