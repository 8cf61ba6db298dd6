import sys

from shims.cli import main

sys.exit(main(sys.argv[1:]))
