"""`python -m kit ARGS`: the `kit` command line."""

import sys

from kit.cli import main

sys.exit(main())
