"""Registration import: drafts through the registrations service, its rules per row."""

from __future__ import annotations

import io

from khuyencong.accounts.models import Role
from khuyencong.documents.xlsx_reader import read_sheet
from khuyencong.registrations.models import Registration, Status
from khuyencong.spreadsheets.pipeline import run
from khuyencong.spreadsheets.pipeline_registrations import RegistrationImporter
from tests.imports.conftest import make_xlsx
from tests.registrations import factories as rf

HEADERS = [
    "Năm kế hoạch",
    "Nguồn kinh phí",
    "Nội dung hoạt động",
    "Tên đề án",
    "Đơn vị thụ hưởng",
    "Địa điểm",
    "Ngày đăng ký",
    "Tổng vốn đầu tư (đồng)",
    "Đề nghị hỗ trợ KCĐP (đồng)",
    "Vốn đối ứng (đồng)",
    "Máy móc mới",
]


def row(beneficiary, **kw):
    return [
        kw.get("year", 2019),
        kw.get("source", "KCĐP"),
        kw.get("area", "machinery"),
        kw.get("title", "Hỗ trợ máy tiện"),
        kw.get("who", beneficiary.tax_code or beneficiary.name),
        kw.get("address", ""),
        "15/05/2018",
        200_000_000,
        kw.get("requested", 80_000_000),
        120_000_000,
        "Có",
    ]


def sheet(rows):
    return read_sheet(io.BytesIO(make_xlsx(HEADERS, rows)), RegistrationImporter.columns)


def test_rows_become_draft_registrations(db):
    staff = rf.user(Role.CENTRE_STAFF)
    one = rf.beneficiary(tax_code="4700123452")
    two = rf.beneficiary(name="HTX Nông Thượng", place=rf.commune(rf.NONG_THUONG))
    rows = [row(one), row(two, who="htx nong thuong", address="Xã Cường Lợi, Huyện Na Rì, Bắc Kạn")]
    report = run(RegistrationImporter(staff), sheet(rows), commit=True)
    assert report.errors == [], report.errors
    assert report.created == 2
    made = Registration.objects.order_by("code")
    assert {r.status for r in made} == {Status.DRAFT}
    assert made.get(beneficiary=one).place_id == one.commune_id  # default: its commune
    assert made.get(beneficiary=two).place.name == "Xã Cường Lợi"


def test_rule_problems_name_the_row_and_nothing_is_created(db):
    staff = rf.user(Role.CENTRE_STAFF)
    one = rf.beneficiary(tax_code="4700123452")
    rows = [row(one), row(one, requested=0), row(one, who="Không có")]
    report = run(RegistrationImporter(staff), sheet(rows), commit=True)
    rows_with_errors = {p["row"] for p in report.errors}
    assert rows_with_errors == {3, 4}
    assert not Registration.objects.exists()
