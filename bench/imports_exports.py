"""Import/export benchmark: import N beneficiary rows from .xlsx (check + commit, the same
pipeline as the background task), export N projects to .xlsx (the list export path).

Each timed step runs in its own process on a throw-away SQLite database (or DATABASE_URL),
so its peak resident memory (ru_maxrss) is its own. The data: ``bench/dataset.py`` (N projects
and 10 × N beneficiaries of the synthetic country; the import file from the same module).
Goals (issue 7): 100,000 beneficiaries imported in <= 30 s and <= 500 MB; 100,000 projects
exported in <= 10 s.

    python bench/run.py [--size 100000] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"import_beneficiaries": (30.0, 500.0), "export_projects": (10.0, None)}


def django_setup(db_path: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_path}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    os.environ["AXES_ENABLED"] = "0"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- preparation


def prepare(db_path: str, size: int, workdir: Path) -> dict:
    """Database with the units, catalogs, an admin, N projects; an N-row import file."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from khuyencong.places.loader import load_admin_units

    load_admin_units()
    from khuyencong.accounts.models import Role, ScopeLevel, User
    from khuyencong.projects.models import Project

    admin, _ = User.objects.get_or_create(
        username="bench", defaults={"role": Role.SYSTEM_ADMIN, "scope_level": ScopeLevel.NATIONAL}
    )
    from bench.dataset import generate, write_beneficiary_file

    if not Project.objects.exists():
        generate(size)  # N projects, 10 × N beneficiaries in the register
    path = workdir / "beneficiaries.xlsx"
    write_beneficiary_file(path, size)
    return {"user_id": admin.pk, "file": str(path)}


# --------------------------------------------------------------------------- timed steps


def import_beneficiaries(user_id: int, file: str) -> dict:
    from django.conf import settings

    from khuyencong.accounts.models import User
    from khuyencong.beneficiaries.models import Beneficiary
    from khuyencong.documents.xlsx_reader import read_sheet
    from khuyencong.spreadsheets.pipeline import BeneficiaryImporter, run

    user = User.objects.get(pk=user_id)
    before = Beneficiary.objects.count()
    started = time.perf_counter()
    importer = BeneficiaryImporter(user, accept_possible_duplicates=True)
    # the limit the background task reads with (spreadsheets.tasks)
    sheet = read_sheet(file, importer.columns, max_rows=settings.IMPORT_MAX_ROWS)
    read_s = time.perf_counter() - started
    checked = run(importer, sheet, commit=False)
    check_s = time.perf_counter() - started
    # The user's choices for the ambiguous rows (any candidate will do for the benchmark).
    choices = {str(a["row"]): a["candidates"][0]["id"] for a in checked.ambiguities}
    importer = BeneficiaryImporter(user, accept_possible_duplicates=True, choices=choices)
    report = run(
        importer, read_sheet(file, importer.columns, max_rows=settings.IMPORT_MAX_ROWS), commit=True
    )
    total = time.perf_counter() - started
    assert not checked.errors and not report.errors, (checked.errors[:3], report.errors[:3])
    created = Beneficiary.objects.count() - before
    assert report.created == created == len(sheet), report.ambiguities[:3]
    return {
        "rows": report.created,
        "ambiguous_rows": len(checked.ambiguities),
        "read_s": round(read_s, 2),
        # the preview task: read, normalise, validate, match (nothing written)
        "preview_s": round(check_s, 2),
        # the import task: the whole pipeline again (re-checked), then the commit
        "seconds": round(total - check_s, 2),
        "peak_mb": round(peak_mb(), 1),
    }


def export_projects(user_id: int) -> dict:
    from khuyencong.accounts.models import User
    from khuyencong.documents.export import export_queryset
    from khuyencong.projects.columns import PROJECT_EXPORT
    from khuyencong.projects.kinds import with_member_count
    from khuyencong.projects.selectors import project_list

    user = User.objects.get(pk=user_id)
    started = time.perf_counter()
    rows = with_member_count(project_list(user=user), None)
    data = export_queryset(rows, PROJECT_EXPORT)
    seconds = time.perf_counter() - started
    return {
        "rows": rows.count(),
        "bytes": len(data),
        "seconds": round(seconds, 2),
        "peak_mb": round(peak_mb(), 1),
    }


def child(argv: list[str]) -> int:
    step, db_path, payload = argv[0], argv[1], json.loads(argv[2])
    django_setup(db_path)
    if step == "import_beneficiaries":
        result = import_beneficiaries(payload["user_id"], payload["file"])
    else:
        result = export_projects(payload["user_id"])
    print(json.dumps(result))
    return 0


def run_child(step: str, db_path: str, payload: dict) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", step, db_path, json.dumps(payload)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"},
    )
    if output.returncode:
        raise SystemExit(f"{step} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench imports_exports")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args, _rest = parser.parse_known_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="kc-bench-"))
    db_path = str(workdir / "bench.sqlite3")
    print(f"== import/export benchmark: {args.size} rows ({workdir})", flush=True)
    started = time.perf_counter()
    prepared = subprocess.run(
        [sys.executable, __file__, "--prepare", db_path, str(args.size), str(workdir)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"},
    )
    payload = json.loads(prepared.stdout.strip().splitlines()[-1])
    print(f"   prepared in {time.perf_counter() - started:.1f} s (not timed)", flush=True)
    results = {
        "import_beneficiaries": run_child("import_beneficiaries", db_path, payload),
        "export_projects": run_child("export_projects", db_path, payload),
    }
    failed = False
    for step, result in results.items():
        seconds_goal, memory_goal = GOALS[step]
        scaled = seconds_goal  # the goal is for 100,000 rows; smaller runs stay under it too
        ok = result["seconds"] <= scaled and (
            memory_goal is None or result["peak_mb"] <= memory_goal
        )
        failed |= not ok
        goal = f"goal ≤ {scaled:.1f} s" + (f", ≤ {memory_goal:.0f} MB" if memory_goal else "")
        print(f"   {step}: {json.dumps(result)} — {goal} — {'OK' if ok else 'OVER'}")
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"   machine: {machine}")
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-imports-exports.json").write_text(
        json.dumps({"size": args.size, "machine": machine, "results": results}, indent=2)
    )
    if not args.keep:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2:]))
    if sys.argv[1] == "--prepare":
        db_path, size, workdir = sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
        django_setup(db_path)
        print(json.dumps(prepare(db_path, size, workdir)))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
