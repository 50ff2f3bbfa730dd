"""`make bench`: the benchmarks under bench/, one module each with `main(argv) -> int`.

    make bench                                   every benchmark
    make bench BENCH_ARGS="--only reports"       one of them
    PYTHONPATH=src python bench/run.py --only reports --runs 10

Each benchmark prints its timings and the goal it is measured against; it is not a test (a
slow machine does not fail the build), the numbers go into the issue notes.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# name -> module (add yours: one file per benchmark)
BENCHMARKS = {
    "deadlines": "bench.deadlines",
    "imports_exports": "bench.imports_exports",
    "reports": "bench.reports",
    "scale": "bench.scale",
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS))
    known, rest = parser.parse_known_args(argv)
    status = 0
    for name in known.only or BENCHMARKS:
        status |= importlib.import_module(BENCHMARKS[name]).main(rest)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
