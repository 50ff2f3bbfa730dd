"""Stage 1, read: the header row is found by its headings (accents optional), blank rows
are skipped, row numbers are the spreadsheet's, limits apply."""

from __future__ import annotations

import datetime
import io

import pytest

from khuyencong.documents.xlsx_reader import SheetError, as_date, as_text, read_sheet
from khuyencong.spreadsheets.pipeline import BENEFICIARY_COLUMNS
from tests.imports.conftest import make_xlsx


def test_header_found_below_title_rows_on_the_second_sheet():
    data = make_xlsx(
        ["Ten co so", "LOẠI HÌNH", "Địa chỉ", "Cột lạ"],
        [["A", "HTX", "x, y"], [], ["B", "HKD", "z"]],
        blank_rows_before=2,
    )
    sheet = read_sheet(io.BytesIO(data), BENEFICIARY_COLUMNS)
    assert sheet.header_row == 3
    records = list(sheet.records())
    assert [row for row, _ in records] == [4, 6]  # the blank row 5 is skipped
    assert records[0][1] == {"name": "A", "kind": "HTX", "address": "x, y"}


def test_a_sheet_without_the_required_headings_is_refused():
    data = make_xlsx(["Họ tên", "Tuổi"], [["A", 3]])
    with pytest.raises(SheetError) as error:
        read_sheet(io.BytesIO(data), BENEFICIARY_COLUMNS)
    assert "Tên cơ sở" in str(error.value)


def test_not_a_spreadsheet():
    with pytest.raises(SheetError):
        read_sheet(io.BytesIO(b"this is not excel"), BENEFICIARY_COLUMNS)


def test_too_many_rows():
    data = make_xlsx(["Tên cơ sở", "Loại hình", "Địa chỉ"], [["A", "HTX", "x"]] * 5)
    with pytest.raises(SheetError):
        read_sheet(io.BytesIO(data), BENEFICIARY_COLUMNS, max_rows=4)


def test_cell_values():
    assert as_text(4700123452.0) == "4700123452"
    assert as_text(None) == ""
    assert as_date(datetime.datetime(2025, 7, 1, 0, 0)) == datetime.date(2025, 7, 1)
    assert as_date("01/07/2025") == as_date("2025-07-01") == datetime.date(2025, 7, 1)
    with pytest.raises(ValueError):
        as_date("32/13/2025")
