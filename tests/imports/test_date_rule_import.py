"""The one date rule in the imports: a progress row or a project row whose date breaks it is
reported on its row and date column with the services' Vietnamese message; nothing is written."""

from __future__ import annotations

import datetime

from django.test import override_settings

from khuyencong.projects import dates
from khuyencong.projects.models import ProgressUpdate, Project, Status
from khuyencong.spreadsheets.pipeline import run
from khuyencong.spreadsheets.pipeline_projects import ProgressImporter, ProjectImporter
from tests.projects import factories as pf

from .test_projects_import import project_row, setup_plan, sheet

D = datetime.date
PROGRESS_HEADERS = [
    "Mã đề án",
    "Ngày",
    "Khối lượng (%)",
    "Số tiền giải ngân (đồng)",
    "Loại giải ngân",
]


def progress_sheet(rows):
    return sheet(rows, PROGRESS_HEADERS, ProgressImporter.columns)


def test_progress_rows_outside_the_rule_are_refused_on_the_date_column(staff, monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: D(2019, 6, 30))
    plan = pf.make_plan(source_code="local", ceiling=500_000_000, year=2018)
    project = pf.make_project(plan, code="NG-1", budget=100_000_000)
    pf.walk(project, Status.CONTRACTED, D(2018, 1, 10))  # contracted on 14/01/2018
    rows = [
        ["NG-1", "05/03/2031", 30, 10_000_000, "Tạm ứng"],  # beyond the period and grace
        ["NG-1", "08/07/2019", 30, 10_000_000, "Tạm ứng"],  # beyond today + 7 days
        ["NG-1", "13/01/2018", 30, 10_000_000, "Tạm ứng"],  # before the contract
    ]
    report = run(ProgressImporter(staff), progress_sheet(rows), commit=True)
    found = {(p["row"], p["column"]): p["message"] for p in report.errors}
    assert set(found) == {(2, "Ngày"), (3, "Ngày"), (4, "Ngày")}
    assert found[2, "Ngày"] == (
        "Ngày tạm ứng 05/03/2031 quá xa thời kỳ của kế hoạch 2018 (cho phép từ 2017 đến 2019)."
    )
    assert found[3, "Ngày"].startswith("Ngày tạm ứng 08/07/2019 ở tương lai")
    assert found[4, "Ngày"].startswith("Ngày tạm ứng 13/01/2018 sớm hơn")
    assert not ProgressUpdate.objects.filter(project=project).exists()


def test_the_grace_setting_moves_the_import_s_bound(staff, monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: D(2021, 1, 1))
    plan = pf.make_plan(source_code="local", ceiling=500_000_000, year=2018)
    project = pf.make_project(plan, code="NG-2", budget=100_000_000)
    pf.walk(project, Status.CONTRACTED, D(2018, 1, 10))
    rows = [["NG-2", "01/06/2020", 30, "", ""]]
    report = run(ProgressImporter(staff), progress_sheet(rows), commit=True)
    assert [p["column"] for p in report.errors] == ["Ngày"]
    with override_settings(DATE_GRACE_YEARS=2):
        report = run(ProgressImporter(staff), progress_sheet(rows), commit=True)
    assert report.errors == [] and report.created == 1


def test_project_rows_outside_the_rule_are_refused_on_their_date_column(leader, monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: D(2018, 6, 30))
    setup_plan()  # 2018
    rows = [
        project_row("NG-3", "Đã ký hợp đồng", "01/08/2018"),  # beyond today + 7 days
        project_row("NG-4", "Đã phê duyệt", "01/02/2021"),  # beyond the period
    ]
    report = run(ProjectImporter(leader), sheet(rows), commit=True)
    found = {(p["row"], p["column"]): p["message"] for p in report.errors}
    assert set(found) == {(2, "Ngày tình trạng"), (3, "Ngày tình trạng")}
    assert found[2, "Ngày tình trạng"].startswith("Ngày hiệu lực 01/08/2018 ở tương lai")
    assert "quá xa thời kỳ của kế hoạch 2018" in found[3, "Ngày tình trạng"]
    assert not Project.objects.filter(code__startswith="NG-").exists()
