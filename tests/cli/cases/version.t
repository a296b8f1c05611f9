# version
args: --version
