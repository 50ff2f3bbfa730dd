"""Read a spreadsheet (.xlsx, .xls, .ods) with python-calamine: find the header row, map the
columns by their (accent-insensitive) headings, yield the data rows with their row numbers.

Pure: no database, no HTTP. Calamine parses in Rust and hands Python plain values (str, int,
float, bool, date, datetime), which is what keeps 100,000-row files fast.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from khuyencong.core.text import compact

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
HEADER_SEARCH_ROWS = 15


def content_matches(file: IO[bytes] | Any, suffix: str) -> bool:
    """Whether the bytes of ``file`` are a spreadsheet of the type its name says (judged by
    content, as every upload is: core.uploads). Raises ``core.uploads.UnsafeContent`` for
    macros or an archive that unpacks to too much."""
    import zipfile

    from khuyencong.core.uploads import UnsafeContent, _ole2_kind, _zip_kind, sniff_type

    kind = sniff_type(file)
    if suffix in (".xlsx", ".xlsm"):
        return kind == "xlsx"
    if suffix == ".xls":
        return kind == "ole2" and _ole2_kind(file) == "xls"
    if suffix == ".ods":
        if kind is not None or _zip_kind(file) is not None:  # also refuses bombs and macros
            return False
        position = file.tell()
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                mimetype = (archive.read("mimetype")[:100] if "mimetype" in names else b"").decode(
                    "ascii", "replace"
                )
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
            return False
        finally:
            file.seek(position)
        if any(name.lower().startswith("basic/") for name in names):
            raise UnsafeContent("macros")
        return "content.xml" in names and mimetype in ("", ODS_MIMETYPE)
    return False


class SheetError(ValueError):
    """The file cannot be read as the expected sheet (message for the user)."""


@dataclass(frozen=True)
class Column:
    """One column of an import template."""

    key: str
    header: str  # Vietnamese heading, as in the template
    required: bool = False
    help: str = ""  # shown on the instructions sheet
    aliases: tuple[str, ...] = ()
    width: int = 18

    def heading_keys(self) -> set[str]:
        return {compact(self.header), *(compact(alias) for alias in self.aliases)}


@dataclass
class Sheet:
    columns: dict[str, int]  # column key -> index in the row
    header_row: int  # 1-based row number of the header
    rows: list[list[Any]]  # data rows (after the header), as read

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(spreadsheet row number, {column key: raw value}); blank rows skipped."""
        for offset, row in enumerate(self.rows, start=1):
            values = {
                key: (row[index] if index < len(row) else None)
                for key, index in self.columns.items()
            }
            if all(value in (None, "") for value in values.values()):
                continue
            yield self.header_row + offset, values


def _open(source: str | Path | IO[bytes]):
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(source, str | Path):
            return CalamineWorkbook.from_path(str(source))
        return CalamineWorkbook.from_filelike(source)
    except Exception as error:  # calamine raises its own error types for broken files
        raise SheetError(
            _("The file could not be read as a spreadsheet (.xlsx, .xls or .ods): %(error)s")
            % {"error": str(error)[:200]}
        ) from None


def read_sheet(
    source: str | Path | IO[bytes], columns: Sequence[Column], *, max_rows: int | None = None
) -> Sheet:
    """The first sheet holding the template's headings (the instructions sheet is skipped)."""
    workbook = _open(source)
    wanted = {key: column for column in columns for key in column.heading_keys()}
    required = {column.key for column in columns if column.required}
    for name in workbook.sheet_names:
        data = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for index, row in enumerate(data[:HEADER_SEARCH_ROWS]):
            found: dict[str, int] = {}
            for position, cell in enumerate(row):
                column = wanted.get(compact(str(cell))) if cell not in (None, "") else None
                if column is not None and column.key not in found:
                    found[column.key] = position
            if required and required <= set(found):
                rows = data[index + 1 :]
                if max_rows is not None and len(rows) > max_rows:
                    raise SheetError(
                        _("The file has %(count)s rows; at most %(limit)s can be imported at once.")
                        % {"count": len(rows), "limit": max_rows}
                    )
                return Sheet(columns=found, header_row=index + 1, rows=rows)
    missing = ", ".join(column.header for column in columns if column.required)
    raise SheetError(
        _("No sheet has the template's header row (required columns: %(columns)s).")
        % {"columns": missing}
    )


# ----------------------------------------------------------------------------- cell values


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 4700123452.0 typed as a number -> "4700123452"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def as_date(value: Any) -> datetime.date:
    """A date cell, or text as dd/mm/yyyy or yyyy-mm-dd; raises ValueError."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = as_text(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)
