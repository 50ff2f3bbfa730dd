"""`make bench`: the benchmarks under bench/ (each module a `main(argv) -> int`).

make bench                          every benchmark, full size
make bench BENCH_ARGS="--size 2000" a small smoke run (CI)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCHMARKS = ["bench.imports_exports"]


def main(argv: list[str]) -> int:
    import importlib

    status = 0
    for name in BENCHMARKS:
        status |= importlib.import_module(name).main(argv)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
