"""XLSX tables in the one style of every spreadsheet the system produces (report annex,
Mẫu 2 summary, decisions' annexes)."""

from __future__ import annotations

import io
from copy import copy
from dataclasses import dataclass, field
from typing import Any

from khuyencong.documents.xlsx import VND_FORMAT

ANNEX_HEADER_ROW = 4

# --------------------------------------------------------------------------------------------
# XLSX tables: the one style of every spreadsheet the system produces (report annex, Mẫu 2 …)

XLSX_FONT = "Times New Roman"
XLSX_HEADER_FILL = "D9E1F2"


@dataclass(frozen=True)
class XlsxTable:
    """A titled table: merged title and subtitle rows, a bold filled header row (frozen,
    filtered, repeated on each printed page), bordered data rows with money in
    ``VND_FORMAT`` and a totals row of formulas (a COUNTA of ``counted_column`` and a SUM of
    each money column). Columns are numbered from 1."""

    sheet_title: str
    title: str
    subtitle: str
    columns: list[str]
    rows: list[list[Any]]
    money_columns: set[int] = field(default_factory=set)
    widths: list[int] = field(default_factory=list)
    header_row: int = ANNEX_HEADER_ROW
    total_label: str = "Tổng cộng"
    label_column: int = 3
    count_column: int = 2
    counted_column: int = 3
    count_suffix: str = " đề án"
    number_formats: dict[int, str] = field(default_factory=dict)  # other numeric columns


def write_table(sheet: Any, table: XlsxTable) -> int:
    """Write ``table`` on ``sheet``; returns the last row written (the totals row, or the
    header row when there are no data rows: no totals then)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    font = XLSX_FONT
    last_column = get_column_letter(len(table.columns))
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.title = table.sheet_title

    sheet["A1"] = table.title
    sheet["A1"].font = Font(name=font, bold=True, size=13)
    sheet.merge_cells(f"A1:{last_column}1")
    sheet["A2"] = table.subtitle
    sheet["A2"].font = Font(name=font, italic=True, size=12)
    sheet.merge_cells(f"A2:{last_column}2")
    for cell in ("A1", "A2"):
        sheet[cell].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[2].height = 32

    header = table.header_row
    header_fill = PatternFill("solid", fgColor=XLSX_HEADER_FILL)
    for index, heading in enumerate(table.columns, start=1):
        cell = sheet.cell(row=header, column=index, value=heading)
        cell.font = Font(name=font, bold=True, size=11)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[header].height = 45

    # Data cells: each column's style is registered with the workbook once (its first cell),
    # then the later rows copy that cell's style indices (as openpyxl's own worksheet copy
    # does): registering a Font/Border/Alignment per cell hashes them against every style of
    # the workbook, which cost more than writing the values.
    column_styles: dict[int, Any] = {}
    row = header
    for values in table.rows:
        row += 1
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index, value=value)
            style = column_styles.get(index)
            if style is not None:
                cell._style = copy(style)
                continue
            cell.font = Font(name=font, size=11)
            cell.border = border
            money = index in table.money_columns
            number_format = VND_FORMAT if money else table.number_formats.get(index)
            cell.alignment = Alignment(vertical="top", wrap_text=number_format is None)
            if number_format:
                cell.number_format = number_format
            column_styles[index] = cell._style
    first_data, last_data = header + 1, row

    if table.rows:
        total_row = row + 1
        counted = get_column_letter(table.counted_column)
        sheet.cell(row=total_row, column=table.label_column, value=table.total_label)
        sheet.cell(
            row=total_row,
            column=table.count_column,
            value=f'=COUNTA({counted}{first_data}:{counted}{last_data})&"{table.count_suffix}"',
        )
        for index in sorted(table.money_columns):
            letter = get_column_letter(index)
            cell = sheet.cell(
                row=total_row,
                column=index,
                value=f"=SUM({letter}{first_data}:{letter}{last_data})",
            )
            cell.number_format = VND_FORMAT
        for index in range(1, len(table.columns) + 1):
            cell = sheet.cell(row=total_row, column=index)
            cell.font = Font(name=font, bold=True, size=11)
            cell.border = border
        row = total_row

    for index, width in enumerate(table.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    sheet.auto_filter.ref = f"A{header}:{last_column}{max(last_data, header)}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return row


def write_note(sheet: Any, row: int, text: str, columns: int, *, bold: bool = False) -> None:
    """A merged, wrapped line of text under a table (in the table's font)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.cell(row=row, column=1, value=text)
    sheet.cell(row=row, column=1).font = Font(name=XLSX_FONT, size=11, bold=bold, italic=not bold)
    sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A{row}:{get_column_letter(columns)}{row}")
    sheet.row_dimensions[row].height = 32


def save_workbook(workbook: Any, *, title: str, creator: str) -> bytes:
    workbook.properties.title = title
    workbook.properties.creator = creator
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
