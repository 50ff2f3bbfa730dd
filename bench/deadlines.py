"""Deadlines at national scale (issue 22): one ``send_reminders`` run computing every
obligation of the synthetic country (``bench/dataset.py``: 100,000 projects over fifteen
years at ``--size national``) and recording the day's reminders. Goal: at most 60 s and
500 MB on this machine.

    make bench BENCH_ARGS="--only deadlines"                         national size (slow)
    PYTHONPATH=src python bench/run.py --only deadlines --size tiny  a quick check

A throw-away SQLite file (or ``--database-url``, e.g. a PostgreSQL database that may be
dropped) is migrated, given the administrative units, the data set and one centre officer and
one department leader per province (untimed). Then ``manage.py send_reminders --as-of DAY``
runs in its own process, timed from outside (Django's set-up included) with its own peak
memory (``ru_maxrss``): a first run (computes and records) and a second one (the same day:
idempotent, records nothing), then ``--dry-run --format json`` (counts the obligations).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 60.0
GOAL_MB = 500.0
AS_OF = "2026-11-20"  # a week before the data set's "today" (28/11/2026)


def env(database_url: str, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "KHUYENCONG_VAR_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "AXES_ENABLED": "0",
        "TASKS_BACKEND": "immediate",
    }


def prepare(size: str) -> dict[str, Any]:
    """In the child process: migrate, units, data set, the responsible users (untimed)."""
    import django

    django.setup()
    from django.core.management import call_command

    from bench.dataset import generate
    from khuyencong.accounts.models import Role, ScopeLevel, User
    from khuyencong.places.loader import load_admin_units
    from khuyencong.places.models import AdminUnit

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_admin_units()
    counts = generate(size, log=lambda message: print(f"   {message}", file=sys.stderr))
    users = []
    for province in AdminUnit.objects.provinces().only("pk", "code", "era"):
        for role in (Role.CENTRE_STAFF, Role.DEPARTMENT_LEADER):
            users.append(
                User(
                    username=f"{role}-{province.era}-{province.code}",
                    role=role,
                    scope_level=ScopeLevel.PROVINCE,
                    province_id=province.pk,
                    email=f"{role}-{province.code}@example.vn",
                )
            )
    User.objects.bulk_create(users, ignore_conflicts=True)
    return {
        "counts": counts.as_dict(),
        "users": len(users),
        "prepare_s": round(time.perf_counter() - started, 1),
    }


def child_run(args: list[str]) -> dict[str, Any]:
    """In a fresh process: run the management command, report its own peak memory."""
    import io

    import django

    django.setup()
    from django.core.management import call_command

    out = io.StringIO()
    call_command(*args, stdout=out)
    return {
        "stdout": out.getvalue().strip(),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def timed(args: list[str], environ: dict[str, str]) -> dict[str, Any]:
    """``send_reminders`` ``args`` in a fresh process: seconds (process start to end, Django
    set-up included), its peak MB, its output."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child-run", *args],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"seconds": round(seconds, 2), **result}


def run(options: Any) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-deadlines-"))
    database_url = options.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    environ = env(database_url, workdir)
    try:
        prepared = subprocess.run(
            [sys.executable, __file__, "--child-prepare", options.size],
            env=environ,
            capture_output=True,
            text=True,
            check=True,
        )
        result: dict[str, Any] = json.loads(prepared.stdout.strip().splitlines()[-1])
        first = timed(["send_reminders", "--as-of", options.as_of], environ)
        first["stdout"] = first["stdout"][-2000:]
        second = timed(["send_reminders", "--as-of", options.as_of], environ)
        dry = timed(
            ["send_reminders", "--as-of", options.as_of, "--dry-run", "--format", "json"],
            environ,
        )
        listed = json.loads(dry.pop("stdout"))["obligations"]
        result.update(
            size=options.size,
            as_of=options.as_of,
            database="postgresql" if database_url.startswith("postgres") else "sqlite",
            first_run=first,
            second_run=second,
            dry_run={**dry, "obligations": len(listed)},
            late=sum(1 for row in listed if row["late"]),
        )
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def markdown(result: dict[str, Any]) -> str:
    first, second, dry = result["first_run"], result["second_run"], result["dry_run"]
    projects = result["counts"].get("projects", "?")
    return "\n".join(
        [
            f"Deadlines, {result['size']} ({projects} projects, {result['database']}), "
            f"as of {result['as_of']}: {dry['obligations']} obligations to remind "
            f"({result['late']} late)",
            "",
            "| run | seconds | peak MB | goal |",
            "|---|---:|---:|---|",
            f"| send_reminders (records) | {first['seconds']} | {first['peak_mb']} | "
            f"≤ {GOAL_SECONDS:.0f} s, ≤ {GOAL_MB:.0f} MB |",
            f"| send_reminders again (idempotent) | {second['seconds']} | {second['peak_mb']} | |",
            f"| --dry-run --format json | {dry['seconds']} | {dry['peak_mb']} | |",
            "",
            f"first run: {first['stdout']}",
            f"second run: {second['stdout']}",
        ]
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench deadlines")
    parser.add_argument("--size", default="national")
    parser.add_argument("--as-of", default=AS_OF)
    parser.add_argument("--database-url", default="", help="default: a throw-away SQLite file")
    options, _rest = parser.parse_known_args(argv)
    result = run(options)
    print(markdown(result))
    out = ROOT / "var" / "bench-deadlines.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    first = result["first_run"]
    within = first["seconds"] <= GOAL_SECONDS and first["peak_mb"] <= GOAL_MB
    print("within the goal" if within else "OUTSIDE the goal")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] in ("--child-prepare", "--child-run"):
        sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
        if sys.argv[1] == "--child-prepare":
            print(json.dumps(prepare(sys.argv[2])))
        else:
            print(json.dumps(child_run(sys.argv[2:])))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
