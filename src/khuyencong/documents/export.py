"""The one export path: the rows of a filtered list -> XLSX. Vietnamese headers, money as
numbers in the VND format (``xlsx.VND_FORMAT``, the report annex's), dates as dates, frozen
bold header row, autofilter.

A column reads one value of the row (an ORM path, fetched with ``values()``: no model
objects are built) or computes it from the row's values. The sheet is streamed by
``documents/xlsx.py``, the one XLSX writer (100,000 rows in seconds, flat memory).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from khuyencong.documents import xlsx
from khuyencong.documents.xlsx import VND_FORMAT

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportColumn:
    header: str  # Vietnamese heading
    source: str | Callable[[dict[str, Any]], Any]  # an ORM path, or a function of the values
    kind: str = "text"  # text | money | date | number | percent
    width: int = 18
    needs: tuple[str, ...] = ()  # the ORM paths a function reads

    def paths(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.needs

    def value(self, row: dict[str, Any]) -> Any:
        return row.get(self.source) if isinstance(self.source, str) else self.source(row)


class ExportColumns(list[ExportColumn]):
    """An app's column spec for its list export. The list page (``core.views``) calls
    ``response`` on it, so core needs no import of this module."""

    def response(self, queryset: Any, filename: str) -> HttpResponse:
        return xlsx_response(queryset, self, filename)


def choice_label(choices: type, key: str) -> Callable[[dict[str, Any]], str]:
    """A function of the row: the label of the choice stored under ``key`` ("" when empty)."""

    def label(row: dict[str, Any]) -> str:
        value = row[key]
        return str(choices(value).label) if value else ""

    return label


def rows_of(queryset: Any, columns: list[ExportColumn]) -> Iterator[list[Any]]:
    """The values of each row of ``queryset`` (filters, ordering and annotations kept)."""
    paths = list(dict.fromkeys(path for column in columns for path in column.paths()))
    for row in queryset.values(*paths).iterator(chunk_size=2000):
        yield [column.value(row) for column in columns]


def write_xlsx(
    rows: Iterable[list[Any]], columns: list[ExportColumn], *, count: int, title: str = "Danh sách"
) -> bytes:
    buffer = io.BytesIO()
    xlsx.write(
        buffer,
        title=title,
        headers=[column.header for column in columns],
        widths=[column.width for column in columns],
        kinds=[column.kind for column in columns],
        rows=rows,
        count=count,
        vnd_format=VND_FORMAT,
    )
    return buffer.getvalue()


def export_queryset(
    queryset: Any, columns: list[ExportColumn], *, title: str = "Danh sách"
) -> bytes:
    return write_xlsx(rows_of(queryset, columns), columns, count=queryset.count(), title=title)


def xlsx_response(queryset: Any, columns: list[ExportColumn], filename: str) -> HttpResponse:
    """The download of a filtered list (the same queryset the page shows, all pages)."""
    data = export_queryset(queryset, columns)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response


def local_date(value: Any) -> Any:
    return timezone.localtime(value).date() if value is not None else None
