"""render_xlsx: the annex, one row per project, totals that are the text's totals."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from khuyencong.documents import wording, xlsx
from khuyencong.reports import render

HEADER = xlsx.ANNEX_HEADER_ROW


@pytest.fixture(scope="module")
def sheet(seed_xlsx):
    return load_workbook(io.BytesIO(seed_xlsx)).active


def data_rows(sheet) -> list[tuple]:
    rows = list(sheet.iter_rows(min_row=HEADER + 1, values_only=True))
    return rows[:-1]  # the last row holds the totals


def test_header_is_bold_frozen_and_filtered(sheet, seed_data):
    headings = [cell.value for cell in sheet[HEADER]]
    assert headings == render.annex_columns(seed_data)
    assert "Tình trạng đến ngày 30/6/2018" in headings
    assert all(cell.font.bold for cell in sheet[HEADER])
    assert sheet.freeze_panes == f"A{HEADER + 1}"
    assert sheet.auto_filter.ref == f"A{HEADER}:M{HEADER + 13}"
    assert "Báo cáo số" in sheet["A2"].value and "30 tháng 6 năm 2018" in sheet["A2"].value


def test_one_row_per_project_with_its_facts(sheet, seed_data):
    rows = data_rows(sheet)
    assert len(rows) == 13
    for row, (section, project) in zip(rows, seed_data.projects, strict=True):
        assert row[1] == section.label
        assert row[2] == project.title
        assert row[4] == (project.beneficiary_label or None)
        assert row[5] == (project.place_label or None)
        assert row[11] == wording.capitalize_first(project.status_line)
        assert row[12] == project.reference
    first = rows[0]
    assert first[4:6] == ("HTX Nông nghiệp Tân Thành", "xã Nông Thượng, thành phố Bắc Kạn")
    # KCQG budget; no KCĐP, counterpart or other money (the hand-made seed has no split);
    # nothing disbursed yet
    assert first[6:11] == (250_000_000, None, None, None, 0)


def test_money_cells_use_the_vnd_format(sheet):
    for row in sheet.iter_rows(min_row=HEADER + 1, min_col=7, max_col=11):
        for cell in row:
            assert cell.number_format == xlsx.VND_FORMAT


def test_totals_are_sum_formulas_over_every_row_and_equal_the_text(
    sheet, seed_data, seed_paragraphs
):
    total_row = sheet[HEADER + 14]
    assert total_row[2].value == "Tổng cộng"
    assert total_row[1].value == f'=COUNTA(C{HEADER + 1}:C{HEADER + 13})&" đề án"'
    stated = {}
    for text in seed_paragraphs:
        if match := re.match(r"Đối với ([^:]+):.*?kinh phí (.+? đồng)\.", text):
            stated[match[1]] = wording.parse_money(match[2])
    assert len(stated) == len(seed_data.sections)
    for index, section in enumerate(seed_data.sections):  # KCQG, KCĐP: the first two columns
        cell = total_row[6 + index]
        match = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", cell.value)
        assert match, cell.value
        column = column_index_from_string(match[1])
        assert (int(match[2]), int(match[4])) == (HEADER + 1, HEADER + 13)
        summed = sum(
            sheet.cell(row=row, column=column).value or 0 for row in range(HEADER + 1, HEADER + 14)
        )
        assert summed == section.total_budget == stated[section.label]
    disbursed = total_row[10]
    assert disbursed.value == f"=SUM(K{HEADER + 1}:K{HEADER + 13})"
    assert sum(row[10] or 0 for row in data_rows(sheet)) == 100_000_000


def test_totals_carry_their_values_for_viewers_that_do_not_recalculate(seed_xlsx, seed_data):
    """openpyxl writes a formula with an empty value: a viewer that does not recalculate
    (calamine, a phone's preview) showed an empty totals row. The file keeps each total's
    value beside its formula, equal to the sum of the rows."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(seed_xlsx)).get_sheet_by_index(0).to_python()
    data, totals = rows[HEADER : HEADER + 13], rows[HEADER + 13]
    assert totals[1] == "13 đề án"
    for column in range(6, 11):  # KCQG, KCĐP, counterpart, other, disbursed
        assert isinstance(totals[column], int | float)
        assert totals[column] == sum(row[column] or 0 for row in data)
    assert [totals[6 + i] for i in range(len(seed_data.sections))] == [
        section.total_budget for section in seed_data.sections
    ]
    assert totals[8:10] == [0, 0]
    assert totals[10] == 100_000_000


def test_cached_values_sit_in_the_cell_xml_beside_the_formula(seed_xlsx):
    import zipfile

    sheet = zipfile.ZipFile(io.BytesIO(seed_xlsx)).read("xl/worksheets/sheet1.xml").decode()
    total = HEADER + 14
    assert re.search(
        rf'<c r="G{total}"[^>]*><f>SUM\(G{HEADER + 1}:G{HEADER + 13}\)</f><v>600000000</v></c>',
        sheet,
    )
    assert re.search(rf'<c r="B{total}"[^>]*t="str"[^>]*><f>[^<]+</f><v>13 đề án</v>', sheet)
