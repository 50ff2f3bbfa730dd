"""The streaming XLSX writer: what openpyxl and calamine read back."""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from khuyencong.documents import xlsx


def build(rows, count=None):
    buffer = io.BytesIO()
    xlsx.write(
        buffer,
        title="Danh sách <&> 'x'",
        headers=["Tên", "Số tiền", "Ngày", "Tỷ lệ", "Có"],
        widths=[20, 14, 12, 8, 6],
        kinds=["text", "money", "date", "percent", "text"],
        rows=rows,
        count=len(rows) if count is None else count,
        vnd_format='#,##0" đ"',
    )
    return buffer.getvalue()


ROWS = [
    ["Hợp tác xã <A & B>", 600_000_000, datetime.date(2025, 7, 1), 40, True],
    [" khoảng trắng \x01", None, None, None, False],
    ["", 0, datetime.datetime(2018, 6, 30, 10, 0), 100, None],
]


def test_openpyxl_reads_values_formats_header_and_filter():
    data = build(ROWS)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Danh sách <&> x"
    assert [c.value for c in sheet[1]] == ["Tên", "Số tiền", "Ngày", "Tỷ lệ", "Có"]
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb == "FFD9E1F2"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"
    assert sheet["A2"].value == "Hợp tác xã <A & B>"
    assert sheet["B2"].value == 600_000_000 and sheet["B2"].number_format == '#,##0" đ"'
    assert sheet["C2"].value == datetime.datetime(2025, 7, 1)
    assert sheet["C2"].number_format == "DD/MM/YYYY"
    assert sheet["E2"].value is True
    assert sheet["A3"].value == " khoảng trắng "  # control character dropped, spaces kept
    assert sheet["B4"].value == 0
    assert sheet["C4"].value == datetime.datetime(2018, 6, 30)
    assert sheet.column_dimensions["A"].width == 20


def test_calamine_reads_it_too():
    data = build(ROWS)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Tên"
    assert rows[1][1] == 600_000_000
    assert rows[1][2] == datetime.date(2025, 7, 1)


def test_column_letters():
    assert [xlsx.column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
