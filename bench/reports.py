"""Report generation benchmark: one province-year report (Bắc Kạn, H1 2018, the demo data)
built from the database and rendered as DOCX + PDF + XLSX. Goal (issue 4): at most 1 s.

Runs on a throw-away SQLite database (or DATABASE_URL) prepared first (migrations, the Bắc
Kạn administrative units, the demo); the preparation is not timed. Reports the first run in a
fresh process ("cold": imports, fonts) and the median of the next runs ("warm", what a web
worker that has served a report before pays).

    PYTHONPATH=src python bench/run.py --only reports [--runs 7]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 1.0


def setup(workdir: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("KHUYENCONG_VAR_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    os.environ["AXES_ENABLED"] = "0"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from khuyencong.demo.loader import load_demo
    from khuyencong.places.loader import load_admin_units

    call_command("migrate", verbosity=0)
    load_admin_units(["Bắc Kạn"])
    load_demo()
    # What the preparation allocated is not what a web worker carries: collect it and keep the
    # survivors out of later collections, so the timings are the report's own.
    gc.collect()
    gc.freeze()


def one_report() -> dict[str, float]:
    from khuyencong.demo.loader import bac_kan
    from khuyencong.reports import render
    from khuyencong.reports.builder import build_report
    from khuyencong.reports.edits import starting_edits

    steps: dict[str, float] = {}
    start = time.perf_counter()
    data = build_report(user=None, province=bac_kan(), year=2018, period="H1")
    data = starting_edits(data).apply(data)
    steps["build"] = time.perf_counter() - start
    for name, renderer in (
        ("docx", render.render_docx),
        ("pdf", render.render_pdf),
        ("xlsx", render.render_xlsx),
    ):
        begin = time.perf_counter()
        content = renderer(data)
        steps[name] = time.perf_counter() - begin
        assert content
    steps["total"] = time.perf_counter() - start
    return steps


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench reports")
    parser.add_argument("--runs", type=int, default=7)
    options, _rest = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="kc-bench-reports-") as workdir:
        prepare = time.perf_counter()
        setup(Path(workdir))
        prepared = time.perf_counter() - prepare
        cold = one_report()
        warm_runs = [one_report() for _ in range(max(1, options.runs))]
    warm = {key: statistics.median(run[key] for run in warm_runs) for key in cold}
    print(f"reports: one province-year report (Bắc Kạn, H1 2018), prepared in {prepared:.1f} s")
    print(f"  {'step':<6} {'cold (s)':>9} {'warm median (s)':>16}")
    for key in cold:
        print(f"  {key:<6} {cold[key]:>9.3f} {warm[key]:>16.3f}")
    verdict = "met" if warm["total"] <= GOAL_SECONDS else "NOT met"
    print(f"  goal: DOCX+PDF+XLSX <= {GOAL_SECONDS:.1f} s (warm): {verdict}")
    print(json.dumps({"benchmark": "reports", "cold": cold, "warm_median": warm}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
