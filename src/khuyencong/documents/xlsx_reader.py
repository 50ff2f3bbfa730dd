"""Read a spreadsheet (.xlsx, .xls, .ods) with python-calamine: find the header row, map the
columns by their (accent-insensitive) headings, yield the data rows with their row numbers.

Pure: no database, no HTTP. Calamine parses in Rust and hands Python plain values (str, int,
float, bool, date, datetime), which is what keeps 100,000-row files fast.

Calamine builds a sheet as a dense grid from its first to its last cell: two cells at A1 and
XFD1048576 make it ask for 16384 × 1048576 cells (hundreds of GB) and abort the process. So a
sheet's extent is measured first, streamed from the zip, and a sheet beyond ``Limits`` is
refused before calamine reads it: for .xlsx its declared ``<dimension>``, then every row and
cell reference (and, in the rare sheets whose rows or cells carry no reference, their
positions counted as calamine counts them); for .ods the rows and cells with their
``number-…-repeated`` counts. An .xls sheet is at most 65536 × 256 cells by its format; its
grid (and any sheet's) is measured again once calamine has built it, before it becomes Python
lists. And the whole read runs in a child process under a memory and a time limit
(``settings.SHEET_READ_MEMORY_MB``, ``SHEET_READ_SECONDS``: ``documents.limited``), so a file
that gets past the checks costs the child its life, not the server: ``ReadAborted``.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook  # loaded here, not in the capped child (limited)

from khuyencong.core.text import compact
from khuyencong.core.uploads import UnsafeContent, _ole2_kind, _zip_kind, sniff_type
from khuyencong.documents.limited import LimitExceeded, run_limited

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
HEADER_SEARCH_ROWS = 15
# Import templates have about 20 columns; a sheet wider than this is not one of them.
MAX_COLUMNS = 256
# The grid calamine allocates (and the Python lists of its rows) stays a few hundred MB.
MAX_CELLS = 10_000_000


def content_matches(file: IO[bytes] | Any, suffix: str) -> bool:
    """Whether the bytes of ``file`` are a spreadsheet of the type its name says (judged by
    content, as every upload is: core.uploads). Raises ``core.uploads.UnsafeContent`` for
    macros or an archive that unpacks to too much."""
    import zipfile

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


class ReadAborted(SheetError):
    """The read went over its memory or time limit (message for the user)."""


class NoHeaderRow(SheetError):
    """No sheet of the file has the template's header row (an optional sheet: absent)."""


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


@dataclass(frozen=True)
class Limits:
    """The largest sheet read: rows (counting the header and rows above it), columns, cells."""

    rows: int = 1_048_576  # Excel's own limit
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS

    def exceeded(self, rows: int, columns: int) -> bool:
        return rows > self.rows or columns > self.columns or rows * columns > self.cells

    def refuse(self, sheet: str, rows: int, columns: int) -> None:
        if self.exceeded(rows, columns):
            raise SheetError(
                _(
                    "The sheet “%(sheet)s” is too large to read: it reaches row %(rows)s and "
                    "column %(columns)s (at most %(max_rows)s rows, %(max_columns)s columns and "
                    "%(max_cells)s cells). Delete the empty rows and columns after the data, or "
                    "split the file."
                )
                % {
                    "sheet": sheet,
                    "rows": rows,
                    "columns": columns,
                    "max_rows": self.rows,
                    "max_columns": self.columns,
                    "max_cells": self.cells,
                }
            )


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"")
_CELL = re.compile(r"\$?([A-Z]{1,3})?\$?(\d+)?$")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
_OTHER_SPACE = (b'\tr="', b'\nr="', b'\rr="')
_CHUNK = 1024 * 1024


def _column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter if isinstance(letter, int) else ord(letter)) - 64
    return number


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip (xl/worksheets/sheet1.xml), from the workbook and
    its relationships; parts not named there are listed under their own name."""
    from html import unescape

    names = set(archive.namelist())
    targets: dict[bytes, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        rels = archive.read("xl/_rels/workbook.xml.rels")
        for match in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)>", rels):
            attributes = dict(_ATTRIBUTE.findall(match.group(1)))
            target = attributes.get(b"Target", b"").decode("utf-8", "replace")
            target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[attributes.get(b"Id", b"")] = target
    parts: dict[str, str] = {}
    if "xl/workbook.xml" in names:
        for match in _SHEET.finditer(archive.read("xl/workbook.xml")):
            attributes = {k.split(b":")[-1]: v for k, v in _ATTRIBUTE.findall(match.group(1))}
            part = targets.get(attributes.get(b"id", b""))
            if part in names:
                parts[unescape(attributes.get(b"name", b"").decode("utf-8", "replace"))] = part
    for name in names - set(parts.values()):
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            parts[name] = name
    return parts


def _references(data: bytes, pattern: bytes) -> list[Any]:
    """The matches of ``pattern`` after `` r="`` (a row's or a cell's reference). A literal
    space before ``r`` lets the regex engine skip ahead fast; other white space (legal XML,
    rare) takes the slower pattern."""
    if any(space in data for space in _OTHER_SPACE):
        return re.findall(rb"\sr=\"" + pattern, data)
    return re.findall(rb" r=\"" + pattern, data)


def _chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's bytes, a chunk at a time, each ending before a tag the next one finishes."""
    with archive.open(part) as stream:
        carry = b""
        while chunk := stream.read(_CHUNK):
            data = carry + chunk
            cut = data.rfind(b"<")
            data, carry = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            yield data
        yield carry


# A row or cell start tag not in the form every spreadsheet program writes (`` r="B12"``
# first): no reference, or one quoted, spaced or escaped otherwise.
_IRREGULAR = re.compile(rb"<(?:[\w.-]+:)?(?:row|c)(?=[\s/>])(?! r=\"[A-Z]{0,3}\d+\")")


def _check_xlsx_part(archive: zipfile.ZipFile, part: str, sheet: str, limits: Limits) -> None:
    """Refuse the sheet if its declared dimension, or any row or cell it holds, lies beyond
    ``limits``; streamed, so memory stays flat whatever the sheet's size.

    Only references that can break a limit are converted: rows with as many digits as the row
    limit, columns of two or three letters. When the sheet is wide enough that its cell count
    depends on its exact last row, a second pass reads every reference. A sheet whose rows or
    cells are written otherwise (no reference, other quoting, not UTF-8), or one found too
    large (to say exactly how large), is measured by an XML parser: ``_xlsx_extent``."""
    rows = columns = 0
    declared = irregular = False
    long_rows = rb"[A-Z]{0,3}(\d{%d,})\"" % len(str(limits.rows))
    for data in _chunks(archive, part):
        if not declared:
            if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                irregular = True  # UTF-16, or not XML: the parser decides
                break
            found = _DIMENSION.search(data)
            declared = found is not None or b"sheetData" in data
            if found is not None:
                cell = _CELL.match(found.group(1).decode("ascii", "replace").split(":")[-1])
                if cell is not None:
                    limits.refuse(
                        sheet, int(cell.group(2) or 0), _column_number(cell.group(1) or "")
                    )
        if _IRREGULAR.search(data) is not None:
            irregular = True
            break
        for digits in _references(data, long_rows):
            rows = max(rows, int(digits))
        for letters in _references(data, rb"([A-Z]{2,3})\d"):
            columns = max(columns, _column_number(letters))
        if limits.exceeded(rows, columns):
            break
    if irregular or limits.exceeded(rows, columns):
        limits.refuse(sheet, *_xlsx_extent(archive, part))
    elif max(columns, 26) * limits.rows > limits.cells:
        for data in _chunks(archive, part):
            for digits in _references(data, rb"[A-Z]{0,3}(\d+)\""):
                rows = max(rows, int(digits))
            if limits.exceeded(rows, columns):
                limits.refuse(sheet, *_xlsx_extent(archive, part))


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace (expat: "namespace name")."""
    return name.rpartition(" ")[2]


def _parse(stream: IO[bytes], start: Any, end: Any) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.ParseFile(stream)


def _xlsx_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(rows, columns) a sheet's cells reach, counted as calamine counts them: a cell's
    reference gives its place; a cell without one follows the cell before it in its row, a
    row without one follows the row before it."""
    row = column = rows = columns = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal row, column, rows, columns
        local = _local(name)
        if local == "row":
            reference = attributes.get("r", "")
            if reference.isdigit():
                row = int(reference) - 1
            column = 0
        elif local == "c":
            cell = _CELL.match(attributes.get("r", "").strip().upper())
            at_row, at_column = row, column
            if cell is not None and cell.group(1):
                at_column = _column_number(cell.group(1)) - 1
                at_row = int(cell.group(2)) - 1 if cell.group(2) else row
            column = at_column + 1
            rows, columns = max(rows, at_row + 1), max(columns, at_column + 1)

    def end(name: str) -> None:
        nonlocal row
        if _local(name) == "row":
            row += 1

    with archive.open(part) as stream:
        _parse(stream, start, end)
    return rows, columns


def _repeat(attributes: dict[str, str], name: str) -> int:
    for key, value in attributes.items():
        if _local(key) == name:
            return int(value) if value.isdigit() else 1
    return 1


def _ods_extents(archive: zipfile.ZipFile) -> dict[str, tuple[int, int]]:
    """Table name -> (rows, columns) its non-empty cells reach, the rows and cells repeated
    (``number-rows-repeated``, ``number-columns-repeated``) counted as calamine expands them.
    A cell counts as non-empty if it has a value type or any content."""
    extents: dict[str, tuple[int, int]] = {}
    table, row, repeat, column = "", 0, 1, 0
    pending: tuple[int, int] | None = None  # a cell without a value type, until its content

    def mark(at: int, width: int) -> None:
        rows, columns = extents.get(table, (0, 0))
        extents[table] = (max(rows, row + repeat), max(columns, at + width))

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal table, row, repeat, column, pending
        local = _local(name)
        if pending is not None:  # content inside a cell
            mark(*pending)
            pending = None
        if local == "table":
            table = next((v for k, v in attributes.items() if _local(k) == "name"), "")
            row = 0
            extents.setdefault(table, (0, 0))
        elif local == "table-row":
            repeat, column = _repeat(attributes, "number-rows-repeated"), 0
        elif local in ("table-cell", "covered-table-cell"):
            width = _repeat(attributes, "number-columns-repeated")
            if any(_local(key) == "value-type" for key in attributes):
                mark(column, width)
            else:
                pending = (column, width)
            column += width

    def end(name: str) -> None:
        nonlocal row, pending
        local = _local(name)
        if local in ("table-cell", "covered-table-cell"):
            pending = None
        elif local == "table-row":
            row += repeat

    with archive.open("content.xml") as stream:
        _parse(stream, start, end)
    return extents


class _Extents:
    """The extent check of an .xlsx or .ods file's sheets, each checked before it is read."""

    def __init__(self, source: str | Path | IO[bytes], limits: Limits):
        self.source, self.limits = source, limits
        self.parts: dict[str, str] | None = None
        self.tables: dict[str, tuple[int, int]] | None = None
        try:
            with self._zip() as archive:
                names = archive.namelist()
                if "xl/workbook.xml" in names:
                    self.parts = _xlsx_sheet_parts(archive)
                elif "content.xml" in names:
                    self.tables = _ods_extents(archive)
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, expat.ExpatError):
            self.parts = self.tables = None  # not a readable .xlsx/.ods: calamine says what
        finally:
            self._rewind()

    def _zip(self):
        if isinstance(self.source, str | Path):
            return zipfile.ZipFile(self.source)
        self.source.seek(0)
        return zipfile.ZipFile(self.source)

    def _rewind(self) -> None:
        if not isinstance(self.source, str | Path):
            self.source.seek(0)

    def check(self, sheet: str) -> None:
        if self.tables is not None and sheet in self.tables:
            self.limits.refuse(sheet, *self.tables[sheet])
        if self.parts is None:
            return
        part = self.parts.get(sheet)
        if part is None:
            return
        try:
            with self._zip() as archive:
                _check_xlsx_part(archive, part, sheet, self.limits)
        except (
            zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError,
            expat.ExpatError,
        ):  # fmt: skip
            raise SheetError(
                _("The file could not be read as a spreadsheet (.xlsx, .xls or .ods): %(error)s")
                % {"error": sheet}
            ) from None
        finally:
            self._rewind()


def _open(source: str | Path | IO[bytes]):
    try:
        if isinstance(source, str | Path):
            return CalamineWorkbook.from_path(str(source))
        source.seek(0)
        return CalamineWorkbook.from_filelike(source)
    except MemoryError:
        raise  # over the read's memory limit: not a broken file
    except Exception as error:  # calamine raises its own error types for broken files
        raise SheetError(
            _("The file could not be read as a spreadsheet (.xlsx, .xls or .ods): %(error)s")
            % {"error": str(error)[:200]}
        ) from None


def read_sheet(
    source: str | Path | IO[bytes],
    columns: Sequence[Column],
    *,
    max_rows: int | None = None,
    header_search_rows: int = HEADER_SEARCH_ROWS,
) -> Sheet:
    """The first sheet holding the template's headings (the instructions sheet is skipped).

    ``max_rows``: the most data rows accepted; a sheet reaching further (or wider than
    ``MAX_COLUMNS``, or larger than ``MAX_CELLS``) is refused before it is read. The read runs
    in a child process under ``settings.SHEET_READ_MEMORY_MB`` and ``SHEET_READ_SECONDS``:
    over either, ``ReadAborted``."""
    try:
        return run_limited(
            _read_sheet,
            source,
            columns,
            max_rows,
            header_search_rows,
            memory_mb=settings.SHEET_READ_MEMORY_MB,
            seconds=settings.SHEET_READ_SECONDS,
        )
    except LimitExceeded as exceeded:
        if exceeded.kind == "time":
            message = _(
                "Reading the file took longer than allowed (%(seconds)s seconds): it is too "
                "large or too complex. Delete the empty rows and columns after the data, or "
                "split the file."
            ) % {"seconds": settings.SHEET_READ_SECONDS}
        else:
            message = _(
                "Reading the file needs more memory than allowed (%(mb)s MB): its sheets "
                "probably reach far beyond their data. Delete the empty rows and columns after "
                "the data, or split the file."
            ) % {"mb": settings.SHEET_READ_MEMORY_MB}
        raise ReadAborted(message) from None
    finally:
        if not isinstance(source, str | Path):
            source.seek(0)


def _read_sheet(
    source: str | Path | IO[bytes],
    columns: Sequence[Column],
    max_rows: int | None,
    header_search_rows: int,
) -> Sheet:
    limits = Limits() if max_rows is None else Limits(rows=max_rows + header_search_rows)
    extents = _Extents(source, limits)
    for table in extents.tables or ():  # calamine reads every table of an .ods as it opens it
        extents.check(table)
    workbook = _open(source)
    wanted = {key: column for column in columns for key in column.heading_keys()}
    required = {column.key for column in columns if column.required}
    for name in workbook.sheet_names:
        extents.check(name)
        sheet = workbook.get_sheet_by_name(name)
        if sheet.end is not None:  # the grid calamine built, before it becomes Python lists
            limits.refuse(name, sheet.end[0] + 1, sheet.end[1] + 1)
        data = sheet.to_python(skip_empty_area=False)
        for index, row in enumerate(data[:header_search_rows]):
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
    raise NoHeaderRow(
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
