"""Stage 1, read: the header row is found by its headings (accents optional), blank rows
are skipped, row numbers are the spreadsheet's, limits apply."""

from __future__ import annotations

import datetime
import io

import pytest

from khuyencong.documents.xlsx_reader import Limits, SheetError, as_date, as_text, read_sheet
from khuyencong.spreadsheets.pipeline import BENEFICIARY_COLUMNS
from tests.imports.conftest import far_apart_xlsx, make_xlsx


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


# A child process with its address space capped: if the reader let calamine build the
# sheet's grid, the allocation would fail (calamine aborts the process) instead of the
# reader refusing the sheet.
CAPPED_READ = """
import resource, sys, time
limit = 1024 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from django.conf import settings
settings.configure(USE_I18N=False, SHEET_READ_MEMORY_MB=512, SHEET_READ_SECONDS=60)
from khuyencong.documents.xlsx_reader import Column, SheetError, read_sheet
started = time.perf_counter()
try:
    read_sheet(sys.argv[1], [Column("name", "Tên cơ sở", True)], max_rows=200_000)
except SheetError as error:
    print("refused", round(time.perf_counter() - started, 2), error)
else:
    print("read")
"""


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
def test_a_sheet_reaching_far_is_refused_before_its_grid_is_built(declared, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    import khuyencong

    path = tmp_path / "far.xlsx"
    path.write_bytes(far_apart_xlsx(["Tên cơ sở", "Loại hình", "Địa chỉ"], declared=declared))
    done = subprocess.run(
        [sys.executable, "-c", CAPPED_READ, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(Path(khuyencong.__file__).parent.parent)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    word, seconds, message = done.stdout.split(" ", 2)
    assert word == "refused" and float(seconds) < 5
    assert "row 1048576 and column 16384" in message


def test_the_limits_count_rows_columns_and_cells():
    limits = Limits(rows=100, columns=10, cells=500)
    limits.refuse("S", 100, 5)  # within every limit
    for rows, columns in ((101, 1), (1, 11), (60, 9)):
        with pytest.raises(SheetError):
            limits.refuse("S", rows, columns)


def test_a_wide_sheet_within_the_limits_is_read():
    headers = ["Tên cơ sở", "Loại hình", "Địa chỉ", *(f"Cột {n}" for n in range(60))]
    data = make_xlsx(headers, [["A", "HTX", "x", *range(60)]])
    sheet = read_sheet(io.BytesIO(data), BENEFICIARY_COLUMNS, max_rows=10)
    assert [row for row, _ in sheet.records()] == [2]
