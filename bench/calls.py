"""Python calls per request of the list and project pages: a load-independent comparison.

Timings on a shared machine move by tens of percent between runs; the number of function
calls a request makes does not. Run it in two trees (a worktree of the older commit with the
venv linked) on their own data sets and compare (docs/performance.md, issue 17)::

    PYTHONPATH=src python bench/calls.py sqlite:////tmp/calls.sqlite3 /tmp/calls-work

The data set is the ``small`` one (made on first use). ``TOP=list`` prints the list page's
most expensive functions; ``DUMP=prefix`` writes each page's profile to ``prefix-<page>.prof``.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(database_url: str, workdir: Path) -> None:
    for path in (str(ROOT / "src"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    from bench import scale

    workdir.mkdir(parents=True, exist_ok=True)
    scale.django_setup(database_url, workdir)
    from django.db import connection
    from django.test import Client

    from khuyencong.accounts.models import User
    from khuyencong.projects.models import Project

    tables = connection.introspection.table_names()
    if "accounts_user" not in tables or not User.objects.filter(username="bench").exists():
        print(scale.prepare("small", workdir), file=sys.stderr)
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="bench"))
    province, year = scale.busiest(2020)
    base = f"province={province}&year={year}"
    ids = list(
        Project.objects.filter(province_id=province, plan__year=year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    pages = {
        "list": [f"/projects/?{base}&page=1"] * 5,
        "detail": [f"/projects/{pk}/" for pk in random.Random(1).sample(ids, min(5, len(ids)))],
        "list_all": ["/projects/"] * 3,
        "list_progress": [f"/projects/?{base}&order=progress"] * 3,
    }
    for name, urls in pages.items():
        for url in urls:  # warm: imports, templates, the choice lists' cache
            assert client.get(url).status_code == 200, url
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for url in urls:
            client.get(url)
        profile.disable()
        seconds = (time.perf_counter() - started) / len(urls)
        stats = pstats.Stats(profile)
        calls = stats.total_calls / len(urls)  # type: ignore[attr-defined]
        print(f"{name}: {calls:,.0f} calls/request, {seconds * 1000:.1f} ms")
        if os.environ.get("DUMP"):
            stats.dump_stats(f"{os.environ['DUMP']}-{name}.prof")
        if os.environ.get("TOP") == name:
            stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
