"""Projects with their current status and progress, and progress updates: the rows go
through the lifecycle services; the check writes and rolls back."""

from __future__ import annotations

import datetime
import io

from khuyencong.documents.xlsx_reader import read_sheet
from khuyencong.projects.models import ProgressUpdate, Project, Status
from khuyencong.spreadsheets.pipeline import run
from khuyencong.spreadsheets.pipeline_projects import ProgressImporter, ProjectImporter
from tests.imports.conftest import make_xlsx
from tests.projects import factories as pf

HEADERS = [
    "Mã đề án",
    "Tên đề án",
    "Nội dung hoạt động",
    "Năm kế hoạch",
    "Nguồn kinh phí",
    "Đơn vị thực hiện",
    "Địa điểm",
    "Kinh phí KCĐP (đồng)",
    "Ngày đăng ký",
    "Tình trạng",
    "Ngày tình trạng",
    "Số văn bản",
    "Khối lượng (%)",
    "Đã giải ngân (đồng)",
]


def project_row(code, status="", status_date=None, progress=None, disbursed=None, **kw):
    return [
        code,
        kw.get("title", "Hỗ trợ máy móc thiết bị"),
        kw.get("area", "machinery"),
        kw.get("year", 2018),
        kw.get("source", "KCĐP"),
        kw.get("unit", "Trung tâm Khuyến công Bắc Kạn"),
        kw.get("address", "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn"),
        kw.get("budget", 50_000_000),
        datetime.datetime(2018, 1, 5),
        status,
        status_date,
        "12/QĐ-SCT",
        progress,
        disbursed,
    ]


def sheet(rows, headers=HEADERS, columns=ProjectImporter.columns):
    return read_sheet(io.BytesIO(make_xlsx(headers, rows)), columns)


def setup_plan():
    plan = pf.make_plan(source_code="local", ceiling=500_000_000, year=2018)
    pf.OrganisationFactory(name="Trung tâm Khuyến công Bắc Kạn")
    return plan


def test_projects_are_walked_to_their_status(leader):
    plan = setup_plan()
    rows = [
        project_row("NK-1"),
        project_row("NK-2", "Đã ký hợp đồng", datetime.datetime(2018, 3, 1)),
        project_row("NK-3", "in_progress", "01/04/2018", progress=40, disbursed=10_000_000),
        project_row("NK-4", "Đã quyết toán", "01/10/2018", disbursed=50_000_000),
    ]
    report = run(ProjectImporter(leader), sheet(rows), commit=True)
    assert report.errors == [], report.errors
    assert report.created == 4
    status = dict(Project.objects.filter(plan=plan).values_list("code", "status"))
    assert status == {
        "NK-1": Status.REGISTERED,
        "NK-2": Status.CONTRACTED,
        "NK-3": Status.IN_PROGRESS,
        "NK-4": Status.SETTLED,
    }
    three = Project.objects.get(code="NK-3")
    assert three.progress_updates.get().disbursed_amount == 10_000_000
    # issue 20: a status alone is one baseline on its date; no approval is invented
    assert list(three.events.values_list("kind", "effective_date", "to_status")) == [
        ("register", datetime.date(2018, 1, 5), Status.REGISTERED),
        ("taken_over", datetime.date(2018, 4, 1), Status.IN_PROGRESS),
    ]


def test_a_refused_step_is_reported_and_nothing_is_written(leader):
    setup_plan()
    rows = [
        project_row("NK-1", "Đã phê duyệt", "01/02/2018"),
        project_row("NK-2", "Đã phê duyệt", "01/02/2018", budget=900_000_000),  # above ceiling
    ]
    report = run(ProjectImporter(leader), sheet(rows), commit=True)
    assert [(p["row"], p["column"]) for p in report.errors] == [(3, "Tình trạng")]
    assert "trần" in report.errors[0]["message"] or "vượt" in report.errors[0]["message"]
    assert not Project.objects.filter(code__startswith="NK-").exists()


def test_project_rows_are_validated_before_any_write(leader):
    setup_plan()
    rows = [
        project_row("NK-1", "Không rõ", "01/02/2018"),
        project_row("NK-1", area="không có"),
        project_row("NK-3", "in_progress", "01/02/2018"),
    ]
    report = run(ProjectImporter(leader), sheet(rows), commit=False)
    columns = {(p["row"], p["column"]) for p in report.errors}
    assert (2, "Tình trạng") in columns
    assert (3, "Nội dung hoạt động") in columns
    assert (4, "Khối lượng (%)") in columns


def test_a_centre_user_may_not_import_project_history(staff):
    report = run(ProjectImporter(staff), sheet([project_row("NK-1")]), commit=True)
    assert report.errors and report.created == 0


def test_progress_updates(staff):
    plan = pf.make_plan(source_code="local", ceiling=500_000_000, year=2018)
    project = pf.make_project(plan, code="TD-1", budget=100_000_000)
    pf.walk(project, Status.CONTRACTED, datetime.date(2018, 1, 10))
    headers = ["Mã đề án", "Ngày", "Khối lượng (%)", "Số tiền giải ngân (đồng)", "Loại giải ngân"]
    good = [
        ["TD-1", "01/03/2018", 30, 10_000_000, "Tạm ứng"],
        ["TD-1", "01/04/2018", 60, "", ""],
    ]
    columns = ProgressImporter.columns
    report = run(ProgressImporter(staff), sheet(good, headers, columns), commit=True)
    assert report.errors == [] and report.created == 2
    assert ProgressUpdate.objects.filter(project=project).count() == 2
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS
    bad = [["TD-1", "01/05/2018", 50, "", ""], ["KHONG-CO", "01/05/2018", 10, "", ""]]
    report = run(ProgressImporter(staff), sheet(bad, headers, columns), commit=True)
    rows = sorted(p["row"] for p in report.errors)
    assert rows == [2, 3]  # work done cannot go down; unknown project
    assert ProgressUpdate.objects.filter(project=project).count() == 2
