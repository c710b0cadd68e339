"""Notebook benchmarks in detail: `python benchmarks/bench_notebooks.py [--json] [--explorer-only]`.

The code lives in dgm.run.bench_notebooks (`dgm bench` reports the same two measurements).
"""

import sys

from dgm.run.bench_notebooks import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
