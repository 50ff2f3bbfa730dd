"""Import/export benchmark: import N beneficiary rows from .xlsx (check + commit, the same
pipeline as the background task), export N projects to .xlsx (the list export path).

Each timed step runs in its own process on a throw-away SQLite database (or DATABASE_URL),
so its peak resident memory (ru_maxrss) is its own. Goals (issue 7): 100,000 beneficiaries
imported in <= 30 s and <= 500 MB; 100,000 projects exported in <= 10 s.

    python bench/run.py [--size 100000] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
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
    sys.path.insert(0, str(ROOT / "src"))
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

    admin, _ = User.objects.get_or_create(
        username="bench", defaults={"role": Role.SYSTEM_ADMIN, "scope_level": ScopeLevel.NATIONAL}
    )
    make_projects(size)
    path = workdir / "beneficiaries.xlsx"
    write_beneficiary_file(path, size)
    return {"user_id": admin.pk, "file": str(path)}


def write_beneficiary_file(path: Path, size: int) -> None:
    """N rows: addresses in legacy (3-level) and current (2-level) form over 3,000 communes,
    a street per row; a third with a valid, unique tax code."""
    from openpyxl import Workbook

    from khuyencong.beneficiaries.taxcode import with_check_digit
    from khuyencong.places.models import AdminUnit

    rng = random.Random(7)
    communes = list(
        AdminUnit.objects.communes().select_related("parent__parent").order_by("?")[:3000]
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    sheet.append(["STT", "Tên cơ sở", "Loại hình", "Mã số thuế", "Địa chỉ", "Điện thoại"])
    sequence = 1_000_000
    for n in range(1, size + 1):
        unit = communes[n % len(communes)]
        address = ", ".join(
            [f"thôn {rng.randint(1, 30)}", *(u.name for u in [unit, *unit.ancestors[::-1]])]
        )
        code = ""
        kind = "Hộ kinh doanh"
        if n % 3 == 0:
            while not code:
                sequence += 1
                code = with_check_digit(f"01{sequence:07d}") or ""
            kind = "HTX"
        sheet.append([n, f"Cơ sở sản xuất số {n}", kind, code, address, "0209 000 000"])
    workbook.save(path)


def make_projects(size: int) -> None:
    """N projects with their register events (bulk, for speed), a third with progress."""
    import datetime

    from khuyencong.accounts.models import Organisation
    from khuyencong.catalog.models import ContentArea, FundingSource
    from khuyencong.places.models import AdminUnit
    from khuyencong.plans.models import Plan
    from khuyencong.projects.models import ProgressUpdate, Project, ProjectEvent

    if Project.objects.exists():
        return
    area = ContentArea.objects.get(code="machinery")
    source = FundingSource.objects.get(code="local")
    communes = list(AdminUnit.objects.communes().filter(era="legacy")[:2000])
    centre = Organisation.objects.create(kind="centre", name="Trung tâm Khuyến công (bench)")
    plans = {}
    for unit in communes:
        if unit.province_id not in plans:
            plans[unit.province_id] = Plan.objects.create(
                province_id=unit.province_id, year=2024, funding_source=source, title="KH 2024"
            )
    batch, events, progress = [], [], []
    for n in range(size):
        unit = communes[n % len(communes)]
        district = unit.parent_id if unit.parent_id != unit.province_id else None
        batch.append(
            Project(
                code=f"B-{n:06d}",
                title=f"Hỗ trợ ứng dụng máy móc thiết bị số {n}",
                content_area=area,
                plan=plans[unit.province_id],
                implementing_unit=centre,
                place=unit,
                province_id=unit.province_id,
                district_id=district,
                budget_local=100_000_000 + n,
                search_text=f"b-{n:06d} ho tro ung dung may moc thiet bi so {n}",
            )
        )
    Project.objects.bulk_create(batch, batch_size=2000)
    for project in Project.objects.only("pk"):
        events.append(
            ProjectEvent(
                project_id=project.pk,
                sequence=1,
                kind="register",
                effective_date=datetime.date(2024, 1, 5),
                to_status="registered",
            )
        )
        if project.pk % 3 == 0:
            progress.append(
                ProgressUpdate(
                    project_id=project.pk,
                    date=datetime.date(2024, 3, 1),
                    progress_percent=30,
                    disbursed_amount=10_000_000,
                )
            )
    ProjectEvent.objects.bulk_create(events, batch_size=5000)
    ProgressUpdate.objects.bulk_create(progress, batch_size=5000)


# --------------------------------------------------------------------------- timed steps


def import_beneficiaries(user_id: int, file: str) -> dict:
    from khuyencong.accounts.models import User
    from khuyencong.beneficiaries.models import Beneficiary
    from khuyencong.spreadsheets.pipeline import BeneficiaryImporter, run
    from khuyencong.spreadsheets.reader import read_sheet

    user = User.objects.get(pk=user_id)
    started = time.perf_counter()
    importer = BeneficiaryImporter(user, accept_possible_duplicates=True)
    sheet = read_sheet(file, importer.columns)
    read_s = time.perf_counter() - started
    checked = run(importer, sheet, commit=False)
    check_s = time.perf_counter() - started
    # The user's choices for the ambiguous rows (any candidate will do for the benchmark).
    choices = {str(a["row"]): a["candidates"][0]["id"] for a in checked.ambiguities}
    importer = BeneficiaryImporter(user, accept_possible_duplicates=True, choices=choices)
    report = run(importer, read_sheet(file, importer.columns), commit=True)
    total = time.perf_counter() - started
    assert not checked.errors and not report.errors, (checked.errors[:3], report.errors[:3])
    assert report.created == Beneficiary.objects.count() == len(sheet), report.ambiguities[:3]
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
    from khuyencong.projects.selectors import project_list
    from khuyencong.spreadsheets.columns import PROJECT_EXPORT
    from khuyencong.spreadsheets.export import export_queryset

    user = User.objects.get(pk=user_id)
    started = time.perf_counter()
    rows = project_list(user=user)
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
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
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
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
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
