"""The one export path: the rows of a filtered list -> XLSX (openpyxl, write-only: constant
memory and fast for 100,000 rows). Vietnamese headers, money as numbers in the VND format of
reports/render.py, dates as dates, frozen bold header row, autofilter."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from khuyencong.reports.render import VND_FORMAT

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class ExportColumn:
    header: str  # Vietnamese heading
    value: Callable[[Any], Any]
    kind: str = "text"  # text | money | date | number | percent
    width: int = 18


def write_xlsx(
    rows: Iterable[Any], columns: list[ExportColumn], *, count: int, title: str = "Danh sách"
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="D9E1F2")
    wrap = Alignment(wrap_text=True, vertical="center")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        header.append(cell)
    sheet.append(header)
    formats = {"money": VND_FORMAT, "date": DATE_FORMAT, "percent": '0" %"'}
    styled = [(i, formats[c.kind]) for i, c in enumerate(columns) if c.kind in formats]
    getters = [column.value for column in columns]
    for row in rows:
        values: list[Any] = [get(row) for get in getters]
        for index, number_format in styled:
            value = values[index]
            if value is None or value == "":
                continue
            if isinstance(value, datetime.datetime):
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = number_format
            values[index] = cell
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(queryset: Any, columns: list[ExportColumn], filename: str) -> HttpResponse:
    """The download of a filtered list (the same queryset the page shows, all pages)."""
    count = queryset.count() if hasattr(queryset, "count") else len(queryset)
    rows = queryset.iterator(chunk_size=2000) if hasattr(queryset, "iterator") else queryset
    data = write_xlsx(rows, columns, count=count)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
