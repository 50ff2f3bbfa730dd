"""Mẫu 2 (XLSX): every national-fund registration received, with its screening reasons, in
the reports engine's table style, and the outcome line under the table."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from khuyencong.demo.registrations import load_bac_kan_2019_registrations
from khuyencong.documents import xlsx
from khuyencong.registrations.summary_sheet import COLUMNS, render_summary_sheet

from . import factories as f

pytestmark = pytest.mark.django_db
HEADER = xlsx.ANNEX_HEADER_ROW


def sheet_for(year=2019, source="national"):
    content = render_summary_sheet(
        f.bac_kan(), year, f.source(source), issued_on=datetime.date(2018, 6, 15)
    )
    return load_workbook(io.BytesIO(content)).active


def test_the_demo_sheet_lists_the_five_national_registrations_and_no_source():
    load_bac_kan_2019_registrations()
    sheet = sheet_for()
    assert sheet.title == "Mẫu 2"
    assert "KHUYẾN CÔNG QUỐC GIA NĂM 2019" in sheet["A1"].value
    assert "Mẫu 2" in sheet["A2"].value and "chưa được đối chiếu" in sheet["A2"].value
    assert [cell.value for cell in sheet[HEADER]] == COLUMNS
    rows = list(sheet.iter_rows(min_row=HEADER + 1, max_row=HEADER + 5, values_only=True))
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5]
    for row in rows:
        assert row[10].startswith("Không đạt") or row[10].startswith("Fail")
        assert "Điều" in row[10]  # each reason cites its legal basis
        assert row[14].startswith("DK-06-2019-")
    totals = sheet[HEADER + 6]
    assert totals[1].value == "Tổng cộng"
    assert totals[2].value == f'=COUNTA(B{HEADER + 1}:B{HEADER + 5})&" đề án"'
    assert totals[8].value == f"=SUM(I{HEADER + 1}:I{HEADER + 5})"
    asked = sum(row[8] for row in rows)
    assert asked == (400 + 300 + 480 + 450 + 80) * 1_000_000
    note = sheet.cell(row=HEADER + 8, column=1).value
    assert "chưa có “Nguồn” để xây dựng kế hoạch kinh phí khuyến công quốc gia năm 2019" in note


def test_the_sheet_uses_the_report_annex_style():
    load_bac_kan_2019_registrations()
    sheet = sheet_for()
    header = sheet.cell(row=HEADER, column=2)
    assert header.font.name == xlsx.XLSX_FONT and header.font.bold
    assert header.fill.fgColor.rgb.endswith(xlsx.XLSX_HEADER_FILL)
    assert sheet.freeze_panes == f"A{HEADER + 1}"
    assert sheet.cell(row=HEADER + 1, column=9).number_format == xlsx.VND_FORMAT
    assert sheet.page_setup.orientation == "landscape"


def test_with_no_registration_the_sheet_says_so():
    sheet = sheet_for(year=2031)
    assert sheet.cell(row=HEADER + 1, column=1).value is None
    note = sheet.cell(row=HEADER + 2, column=1).value
    assert note.startswith("Chưa nhận được hồ sơ đăng ký")


def test_an_accepted_registration_shows_its_recommended_support():
    registration = f.accepted(
        funding_source=f.source("national"), requested_local=0, requested_national=80_000_000
    )
    sheet = sheet_for()
    row = [cell.value for cell in sheet[HEADER + 1]]
    assert row[14] == registration.code
    assert row[13] == 80_000_000
    assert row[12] == 48  # the average points: 8 on each of the six criteria
    note = sheet.cell(row=HEADER + 4, column=1).value
    assert note.startswith("Có 01 đề án đáp ứng")
