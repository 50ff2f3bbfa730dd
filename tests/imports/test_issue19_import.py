"""Issue 19 in the project import: a province with a 2024 – 2026 plan and a supplementary 2025
plan, a national plan assigned in two batches; group projects with their participants (sheet
"Cơ sở tham gia"), projects the centre implements itself at the province or district; errors
named by row and column in Vietnamese; the same file again changes nothing."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from khuyencong.demo import projects as demo
from khuyencong.documents.xlsx_reader import SheetError
from khuyencong.plans.models import PlanKind
from khuyencong.projects import plan_services
from khuyencong.projects.models import GroupMember, Project, ProjectKind, Status
from khuyencong.projects.services import SYSTEM
from khuyencong.spreadsheets.models import ImportJob, JobStatus
from khuyencong.spreadsheets.pipeline import read_file, run
from khuyencong.spreadsheets.pipeline_projects import ProjectImporter
from khuyencong.trust.models import AuditEntry
from tests.projects import factories as pf

D = datetime.date

HEADERS = [
    "Mã đề án", "Tên đề án", "Nội dung hoạt động", "Năm kế hoạch", "Nguồn kinh phí",
    "Số QĐ kế hoạch", "Đợt giao", "Loại đề án", "Số cơ sở hỗ trợ", "Đơn vị thực hiện",
    "Đơn vị thụ hưởng", "Địa điểm", "Kinh phí KCQG (đồng)", "Kinh phí KCĐP (đồng)",
    "Ngày đăng ký", "Tình trạng", "Ngày tình trạng", "Số văn bản",
]  # fmt: skip
PARTICIPANT_HEADERS = [
    "Mã đề án", "Đơn vị thụ hưởng", "Địa điểm", "Kinh phí hỗ trợ (đồng)", "Số quyết định",
    "Ngày quyết định", "Cơ quan ban hành", "Ngày tham gia",
]  # fmt: skip
CENTRE = "Trung tâm Khuyến công Bắc Kạn"
NA_RI = "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn"


def row(code: str, **kw: Any) -> list[Any]:
    return [
        code,
        kw.get("title", f"Đề án {code}"),
        kw.get("area", "machinery"),
        kw.get("year", 2024),
        kw.get("source", "KCĐP"),
        kw.get("decision", ""),
        kw.get("batch", ""),
        kw.get("kind", ""),
        kw.get("size", ""),
        CENTRE,
        kw.get("beneficiary", ""),
        kw.get("address", NA_RI),
        kw.get("national", ""),
        kw.get("local", ""),
        kw.get("registered", "05/02/2024"),
        kw.get("status", ""),
        kw.get("status_date", ""),
        "12/QĐ-SCT",
    ]


def workbook(projects: list[list[Any]], participants: list[list[Any]] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Dữ liệu"
    sheet.append(HEADERS)
    for values in projects:
        sheet.append(values)
    if participants is not None:
        members = book.create_sheet("Cơ sở tham gia")
        members.append(PARTICIPANT_HEADERS)
        for values in participants:
            members.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(user: Any, data: bytes, *, commit: bool = False):
    importer = ProjectImporter(user)
    sheet = read_file(importer, io.BytesIO(data))
    return run(importer, sheet, commit=commit)


@pytest.fixture
def province(db, units):
    """Bắc Kạn (invented plans): KCĐP 2024 – 2026 (15/QĐ-UBND) and a supplementary 2025
    plan (88/QĐ-UBND); KCQG 2024 (1234/QĐ-BCT) assigned by two letters."""
    pf.OrganisationFactory(name=CENTRE)
    demo.ensure_beneficiaries(units)
    where = pf.province()
    create, approve = plan_services.create_plan, plan_services.approve_plan
    main = create(
        actor=SYSTEM, province=where, year=2024, end_year=2026, funding_source=pf.source("local"),
        title="Kế hoạch khuyến công địa phương giai đoạn 2024 – 2026", ceiling=3_000_000_000,
    )  # fmt: skip
    approve(plan=main, actor=SYSTEM, decision_number="15/QĐ-UBND", decision_date=D(2024, 1, 10))
    extra = create(
        actor=SYSTEM, province=where, year=2025, funding_source=pf.source("local"),
        title="Kế hoạch bổ sung năm 2025", ceiling=500_000_000, kind=PlanKind.SUPPLEMENTARY,
    )  # fmt: skip
    approve(plan=extra, actor=SYSTEM, decision_number="88/QĐ-UBND", decision_date=D(2025, 3, 1))
    national = create(
        actor=SYSTEM, province=where, year=2024, funding_source=pf.source("national"),
        title="Kế hoạch khuyến công quốc gia năm 2024", ceiling=2_000_000_000,
    )  # fmt: skip
    approve(
        plan=national, actor=SYSTEM, decision_number="1234/QĐ-BCT", decision_date=D(2024, 1, 20)
    )
    for batch, number, day, amount in (
        (1, "210/CV-CCT", D(2024, 3, 5), 1_200_000_000),
        (2, "540/CV-CCT", D(2024, 6, 12), 800_000_000),
    ):
        plan_services.record_allocation(
            plan=national, actor=SYSTEM, batch=batch, document_number=number,
            document_date=day, issuer="Cục Công Thương địa phương", amount=amount,
        )  # fmt: skip
    return {"main": main, "extra": extra, "national": national}


def good_file() -> bytes:
    projects = [
        row("P19-1", year=2025, decision="15/QĐ-UBND", beneficiary="HTX Thành Ngân",
            local=150_000_000, registered="10/01/2025", status="Đã phê duyệt",
            status_date="01/03/2025"),
        row("P19-2", source="KCQG", batch=2, kind="nhom", size=3, national=300_000_000,
            status="Đã phê duyệt", status_date="01/07/2024"),
        row("P19-3", kind="Trung tâm thực hiện", address="Tỉnh Bắc Kạn", local=80_000_000,
            area="machinery"),
        row("P19-4", year=2025, decision="88/qđ-ubnd", kind="TRUNG TAM", local=60_000_000,
            address="Huyện Na Rì, Tỉnh Bắc Kạn", registered="15/03/2025"),
    ]  # fmt: skip
    participants = [
        ["P19-2", "HTX Thành Ngân", "", 100_000_000, "45/QĐ-SCT", "15/07/2024", "", ""],
        ["P19-2", "HKD Lại Văn Tú", "Xã Quang Phong, Huyện Na Rì, Tỉnh Bắc Kạn", 80_000_000,
         "45/QĐ-SCT", "15/07/2024", "Sở Công Thương Bắc Kạn", "20/07/2024"],
    ]  # fmt: skip
    return workbook(projects, participants)


def test_group_centre_and_batched_projects_with_their_participants(leader, province):
    report = check(leader, good_file(), commit=True)
    assert report.errors == [], report.errors
    assert report.created == 6  # four projects, two participants
    one, group, whole, district = (Project.objects.get(code=f"P19-{n}") for n in range(1, 5))
    assert (one.kind, one.plan, one.status) == (
        ProjectKind.SINGLE, province["main"], Status.APPROVED
    )  # fmt: skip
    assert group.kind == ProjectKind.GROUP and group.group_size == 3
    assert group.beneficiary is None and group.kcqg_type == "nhom"
    assert group.allocation.batch == 2 and group.allocation.document_number == "540/CV-CCT"
    assert (whole.kind, whole.place.level, whole.plan) == (
        ProjectKind.CENTRE, "province", province["main"]
    )  # fmt: skip
    assert (district.kind, district.place.name, district.plan) == (
        ProjectKind.CENTRE, "Huyện Na Rì", province["extra"]
    )  # fmt: skip
    members = {m.beneficiary.name: m for m in GroupMember.objects.filter(project=group)}
    assert set(members) == {"HTX Thành Ngân", "HKD Lại Văn Tú"}
    tu = members["HKD Lại Văn Tú"]
    assert (tu.support_amount, tu.place.name, tu.joined_on, tu.issuer) == (
        80_000_000, "Xã Quang Phong", D(2024, 7, 20), "Sở Công Thương Bắc Kạn"
    )  # fmt: skip
    assert members["HTX Thành Ngân"].place.name == "Xã Cường Lợi"  # the beneficiary's commune


def test_the_same_file_again_changes_nothing(leader, province):
    data = good_file()
    assert check(leader, data, commit=True).created == 6
    projects, members = Project.objects.count(), GroupMember.objects.count()
    audit = AuditEntry.objects.count()
    again = check(leader, data, commit=True)
    assert again.errors == [] and again.warnings == []
    assert again.created == 0 and len(again.unchanged) == 6
    assert "không thay đổi" in again.unchanged[0]["message"]
    sheets = {p.get("sheet", "") for p in again.unchanged}
    assert sheets == {"", "Cơ sở tham gia"}
    assert (Project.objects.count(), GroupMember.objects.count()) == (projects, members)
    assert AuditEntry.objects.count() == audit


def test_each_new_column_names_its_row_and_column(leader, province):
    projects = [
        row("E-1", kind="Không rõ"),
        row("E-2", kind="nhóm", size="ba"),
        row("E-3", source="KCQG", batch=3, kind="nhóm"),
        row("E-4", year=2025, registered="10/01/2025"),
        row("E-5", year=2025, decision="99/QĐ-UBND", registered="10/01/2025"),
        row("E-6", kind="Nhóm", beneficiary="HTX Thành Ngân"),
        row("E-7", kind="Trung tâm thực hiện", address="Huyện Không Có, Tỉnh Bắc Kạn"),
    ]
    participants = [
        ["KHONG-CO", "HTX Thành Ngân", "", 10_000_000, "1/QĐ", "15/07/2024", "", ""],
        ["E-3", "Cơ sở không có", "", 10_000_000, "1/QĐ", "15/07/2024", "", ""],
        ["E-3", "HTX Thành Ngân", "", 10_000_000, "1/QĐ", "", "", ""],
        # the project's own row has the error: not repeated here
        ["E-1", "HTX Thành Ngân", "", 10_000_000, "1/QĐ", "15/07/2024", "", ""],
    ]
    report = check(leader, workbook(projects, participants), commit=True)
    found = {(p["row"], p.get("sheet", ""), p["column"]): p["message"] for p in report.errors}
    assert "Trung tâm thực hiện" in found[(2, "", "Loại đề án")]
    assert "số nguyên" in found[(3, "", "Số cơ sở hỗ trợ")]
    assert "Đợt 3" in found[(4, "", "Đợt giao")]
    several = found[(5, "", "Số QĐ kế hoạch")]
    assert "15/QĐ-UBND" in several and "88/QĐ-UBND" in several
    assert "99/QĐ-UBND" in found[(6, "", "Số QĐ kế hoạch")]
    assert "đề án nhóm" in found[(7, "", "Đơn vị thụ hưởng")].lower()
    assert "Huyện Không Có" in found[(8, "", "Địa điểm")]
    assert "KHONG-CO" in found[(2, "Cơ sở tham gia", "Mã đề án")]
    assert "Cơ sở không có" in found[(3, "Cơ sở tham gia", "Đơn vị thụ hưởng")]
    assert (4, "Cơ sở tham gia", "Ngày quyết định") in found
    assert not [key for key in found if key[:2] == (5, "Cơ sở tham gia")]
    assert report.created == 0
    assert not Project.objects.filter(code__startswith="E-").exists()
    assert not GroupMember.objects.exists()


def test_a_participant_refused_by_the_rules_is_reported_on_its_sheet(leader, province):
    projects = [row("G-1", source="KCQG", batch=1, kind="nhóm", size=1, national=100_000_000)]
    participants = [  # the group project is only registered: no participant yet
        ["G-1", "HTX Thành Ngân", "", 10_000_000, "1/QĐ", "15/07/2024", "", ""],
    ]
    report = check(leader, workbook(projects, participants))
    assert [(p["row"], p.get("sheet"), p["column"]) for p in report.errors] == [
        (2, "Cơ sở tham gia", "Mã đề án")
    ]
    assert "phê duyệt" in report.errors[0]["message"]
    assert not Project.objects.filter(code="G-1").exists()


def test_a_far_reaching_participants_sheet_is_refused_before_it_is_read(leader, province):
    book = Workbook()
    book.active.append(HEADERS)
    members = book.create_sheet("Cơ sở tham gia")
    members.append(PARTICIPANT_HEADERS)
    members["XFD1048576"] = "xa"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(SheetError, match="quá lớn"):
        read_file(ProjectImporter(leader), io.BytesIO(buffer.getvalue()))


def test_the_job_page_names_the_sheet_of_a_problem(client, leader, province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    participants = [["KHONG-CO", "HTX Thành Ngân", "", 1_000_000, "1/QĐ", "15/07/2024", "", ""]]
    data = workbook([row("J-1", local=10_000_000)], participants)
    client.post("/imports/", {"kind": "projects", "file": SimpleUploadedFile("da.xlsx", data)})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID and job.total_rows == 2
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Cơ sở tham gia · Mã đề án" in page and "KHONG-CO" in page
