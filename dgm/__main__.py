"""`python -m dgm` runs the command line."""

import sys

from dgm.cli import main

sys.exit(main())
