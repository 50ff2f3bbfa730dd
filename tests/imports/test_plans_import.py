"""Issue 19: the plans import. Sheet "Kế hoạch" (a 2024 – 2026 plan, a supplementary 2025 plan,
a national 2024 plan, each with its approving decision) and sheet "Đợt giao" (the national
plan's two batches); errors named by row, sheet and column in Vietnamese; the same file again
changes nothing; the page and the template."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from khuyencong.plans.models import Allocation, Plan, PlanKind, PlanStatus
from khuyencong.spreadsheets.models import ImportJob, JobStatus
from khuyencong.spreadsheets.pipeline import read_file, run
from khuyencong.spreadsheets.pipeline_plans import PlanImporter
from khuyencong.spreadsheets.template import build_template
from khuyencong.trust.models import AuditEntry
from tests.projects import factories as pf

D = datetime.date
LOGIN = "django.contrib.auth.backends.ModelBackend"
PLAN_HEADERS = [
    "Tỉnh", "Nguồn kinh phí", "Năm bắt đầu", "Năm kết thúc", "Loại kế hoạch", "Tên kế hoạch",
    "Kinh phí (đồng)", "Số quyết định", "Ngày quyết định", "Cơ quan ban hành",
]  # fmt: skip
BATCH_HEADERS = [
    "Số QĐ kế hoạch", "Đợt", "Loại văn bản", "Số văn bản", "Ngày văn bản", "Cơ quan ban hành",
    "Số tiền (đồng)",
]  # fmt: skip
PLANS = [
    ["Tỉnh Bắc Kạn", "KCĐP", 2024, 2026, "Chính",
     "Kế hoạch khuyến công địa phương giai đoạn 2024 – 2026", 3_000_000_000, "15/QĐ-UBND",
     "10/01/2024", "UBND tỉnh Bắc Kạn"],
    ["bac kan", "KCĐP", 2025, "", "bổ sung", "Kế hoạch bổ sung năm 2025", 500_000_000,
     "88/QĐ-UBND", "01/03/2025", "UBND tỉnh Bắc Kạn"],
    ["Tỉnh Bắc Kạn", "KCQG", 2024, "", "", "Kế hoạch khuyến công quốc gia năm 2024",
     2_000_000_000, "1234/QĐ-BCT", "20/01/2024", "Bộ Công Thương"],
]  # fmt: skip
BATCHES = [
    ["1234/QĐ-BCT", 1, "Công văn", "210/CV-CCT", "05/03/2024", "Cục Công Thương địa phương",
     1_200_000_000],
    ["1234/QĐ-BCT", 2, "Quyết định", "540/QĐ-CCT", "12/06/2024", "Cục Công Thương địa phương",
     800_000_000],
]  # fmt: skip


def workbook(plans: list[list[Any]], batches: list[list[Any]] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Kế hoạch"
    sheet.append(PLAN_HEADERS)
    for values in plans:
        sheet.append(values)
    if batches is not None:
        more = book.create_sheet("Đợt giao")
        more.append(BATCH_HEADERS)
        for values in batches:
            more.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(user: Any, data: bytes, *, commit: bool = False):
    importer = PlanImporter(user)
    return run(importer, read_file(importer, io.BytesIO(data)), commit=commit)


@pytest.fixture
def sources(db, units):
    return {code: pf.source(code) for code in ("local", "national")}


def test_plans_and_batches_are_imported_once(leader, sources):
    data = workbook(PLANS, BATCHES)
    report = check(leader, data, commit=True)
    assert report.errors == [], report.errors
    assert report.created == 5
    main = Plan.objects.get(decision_number="15/QĐ-UBND")
    assert (main.year, main.end_year, main.kind, main.status) == (
        2024, 2026, PlanKind.MAIN, PlanStatus.APPROVED
    )  # fmt: skip
    assert main.period_text == "giai đoạn 2024 – 2026"
    assert (main.approval.decision_date, main.approval.issuer) == (
        D(2024, 1, 10), "UBND tỉnh Bắc Kạn"
    )  # fmt: skip
    extra = Plan.objects.get(decision_number="88/QĐ-UBND")
    assert (extra.kind, extra.year, extra.end_year) == (PlanKind.SUPPLEMENTARY, 2025, 2025)
    national = Plan.objects.get(decision_number="1234/QĐ-BCT")
    batches = list(national.allocations.order_by("batch"))
    assert [(a.batch, a.document_kind, a.document_number, a.amount) for a in batches] == [
        (1, "letter", "210/CV-CCT", 1_200_000_000),
        (2, "decision", "540/QĐ-CCT", 800_000_000),
    ]
    plans, allocations = Plan.objects.count(), Allocation.objects.count()
    audit = AuditEntry.objects.count()
    again = check(leader, data, commit=True)
    assert again.errors == [] and again.created == 0
    assert len(again.unchanged) == 5
    assert {p.get("sheet", "") for p in again.unchanged} == {"", "Đợt giao"}
    assert "không thay đổi" in again.unchanged[0]["message"]
    assert (Plan.objects.count(), Allocation.objects.count()) == (plans, allocations)
    assert AuditEntry.objects.count() == audit


def test_each_error_names_its_row_sheet_and_column(leader, sources):
    plans = [
        ["Tỉnh Không Có", "KCĐP", 2024, "", "", "KH", 1_000, "1/QĐ", "10/01/2024", ""],
        ["Tỉnh Bắc Kạn", "KCĐP", 2024, 2020, "", "KH", 1_000, "2/QĐ", "10/01/2024", ""],
        ["Tỉnh Bắc Kạn", "KCĐP", 2024, "", "phụ", "KH", 1_000, "3/QĐ", "10/01/2024", ""],
        ["Tỉnh Bắc Kạn", "KCĐP", 2023, "", "", "KH 2023", 1_000, "4/QĐ", "10/01/2023", ""],
        ["Tỉnh Bắc Kạn", "KCĐP", 2023, "", "Chính", "KH 2023 bis", 1_000, "5/QĐ", "10/02/2023",
         ""],
    ]  # fmt: skip
    batches = [
        ["9999/QĐ", 1, "", "1/CV", "05/03/2023", "Cục", 1_000],
        ["4/QĐ", 1, "", "1/CV", "05/03/2023", "Cục", 1_000],
        ["4/QĐ", "một", "Thư", "1/CV", "05/03/2023", "Cục", 1_000],
    ]
    report = check(leader, workbook(plans, batches), commit=True)
    found = {(p["row"], p.get("sheet", ""), p["column"]): p["message"] for p in report.errors}
    assert "Tỉnh Không Có" in found[(2, "", "Tỉnh")]
    assert "năm" in found[(3, "", "Năm kết thúc")]
    assert "Bổ sung" in found[(4, "", "Loại kế hoạch")]
    assert "kế hoạch bổ sung" in found[(6, "", "Loại kế hoạch")]  # a second main 2023 plan
    assert "9999/QĐ" in found[(2, "Đợt giao", "Số QĐ kế hoạch")]
    assert (
        "KCQG" in found[(3, "Đợt giao", "Số QĐ kế hoạch")]
        or "quốc gia" in found[(3, "Đợt giao", "Số QĐ kế hoạch")]
    )
    assert (4, "Đợt giao", "Đợt") in found and (4, "Đợt giao", "Loại văn bản") in found
    assert report.created == 0
    assert not Plan.objects.exists() and not Allocation.objects.exists()


def test_the_page_imports_a_plans_file_and_offers_its_template(client, leader, sources, settings,
                                                               tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    client.force_login(leader, backend=LOGIN)
    page = client.get("/imports/").content.decode()
    assert 'data-template="plans"' in page
    template = load_workbook(io.BytesIO(client.get("/imports/template/plans.xlsx").content))
    assert template.sheetnames == ["Hướng dẫn", "Kế hoạch", "Đợt giao", "Danh mục"]
    assert [c.value for c in template["Đợt giao"][1]][:2] == ["Số QĐ kế hoạch", "Tỉnh"]
    guide = [c.value for row in template["Hướng dẫn"].iter_rows() for c in row if c.value]
    assert "1234/QĐ-BCT" in guide and "Trang “Đợt giao”" in guide  # an example, each sheet
    file = SimpleUploadedFile("ke-hoach.xlsx", workbook(PLANS, BATCHES))
    client.post("/imports/", {"kind": "plans", "file": file})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.READY and job.total_rows == 5
    client.post(f"/imports/{job.pk}/choose/", {"commit": "1"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.created_count == 5
    assert Allocation.objects.count() == 2


def test_the_project_template_has_the_new_columns_and_the_participants_sheet(db, units):
    book = load_workbook(io.BytesIO(build_template("projects")))
    assert book.sheetnames == ["Hướng dẫn", "Dữ liệu", "Cơ sở tham gia", "Các bước", "Danh mục"]
    headers = [c.value for c in book["Dữ liệu"][1]]
    for header in ("Loại đề án", "Số cơ sở hỗ trợ", "Số QĐ kế hoạch", "Đợt giao"):
        assert header in headers
    # issue 20: one column group per step, and the sheet of steps, explained with an example
    for header in ("Ngày phê duyệt", "Số QĐ phê duyệt", "Cơ quan phê duyệt", "Số HĐ",
                   "Giá trị nghiệm thu (đồng)", "Ngày dừng"):  # fmt: skip
        assert header in headers
    assert [c.value for c in book["Các bước"][1]][:3] == ["Mã đề án", "Bước", "Ngày"]
    guide = [c.value for row in book["Hướng dẫn"].iter_rows() for c in row if c.value]
    assert "Trang “Các bước”" in guide and "Ký hợp đồng" in guide
    assert any("Chuyển từ dữ liệu cũ" in str(text) for text in guide)
    assert [c.value for c in book["Cơ sở tham gia"][1]][:2] == ["Mã đề án", "Đơn vị thụ hưởng"]


def test_a_far_reaching_batches_sheet_is_refused_and_no_job_stays_busy(
    client, leader, sources, settings, tmp_path
):
    """The bomb of issue 18 in the further sheet: refused before calamine reads it."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(leader, backend=LOGIN)
    book = Workbook()
    book.active.title = "Kế hoạch"
    book.active.append(PLAN_HEADERS)
    batches = book.create_sheet("Đợt giao")
    batches.append(BATCH_HEADERS)
    batches["XFD1048576"] = "xa"
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("bom.xlsx", buffer.getvalue())
    client.post("/imports/", {"kind": "plans", "file": file})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID
    assert "quá lớn" in job.message and "Đợt giao" in job.message
