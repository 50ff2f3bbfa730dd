"""The one XLSX writer of the system. Every spreadsheet it produces is written here: the list
exports (``write``: streamed), and the titled tables of the report annex, the contests'
decisions and the Mẫu 2 summary (``write_table`` over openpyxl), the import templates
(``new_workbook`` + ``put``).

Text is always stored as text. A value typed by a user (a beneficiary's name, a project's
title) that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (the formula
triggers of OWASP's CSV injection guidance) would otherwise become a live formula — openpyxl
turns any string starting with ``=`` into one, and "#N/A" into an error. Text cells are written
as inline strings (``t="inlineStr"``), which no spreadsheet evaluates, and the ones that start
with a trigger also get the ``quotePrefix`` style, so that editing the cell in Excel or
LibreOffice keeps it text. The text stays exactly as typed (no added apostrophe): a name
exported and imported again is the same name. Formulas exist only where this module writes
them itself (``formula``: the totals rows). Numbers, dates and money stay typed.

A formula cell also carries its computed value (``<f>SUM(…)</f><v>1129000000</v>``), as Excel
and LibreOffice write it: a viewer that does not recalculate (a phone's preview, a mail
client, calamine and pandas) shows the number, not an empty cell. openpyxl writes formulas
without values, so ``formula(…, value=…)`` records the value and ``save_workbook`` puts it
in the saved sheet's XML.

The streaming writer writes the sheet's XML straight into the zip, row by row, which is much
faster than openpyxl's write-only mode (docs/performance.md) and keeps memory flat. The files
open in Excel, LibreOffice, openpyxl, calamine.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from typing import IO, Any
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EPOCH = datetime.date(1899, 12, 30)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Money in đồng, as the report annex shows it.
VND_FORMAT = '#,##0" đ"'

# The first characters that make a spreadsheet read a typed value as a formula (OWASP, CSV
# injection): such text gets the quotePrefix style as well as the text type.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit for the text of one cell.
MAX_TEXT = 32_767

# Cell styles (cellXfs indexes below): the number formats a column may ask for, and the two
# quote-prefixed text styles (plain, header).
STYLE_DEFAULT, STYLE_HEADER, STYLE_MONEY, STYLE_DATE, STYLE_PERCENT = range(5)
STYLE_QUOTED, STYLE_HEADER_QUOTED = 5, 6
FORMATS = {"money": STYLE_MONEY, "date": STYLE_DATE, "percent": STYLE_PERCENT}


def clean_text(value: str) -> str:
    """``value`` as a cell may hold it: without the control characters XML cannot carry,
    cut at Excel's limit."""
    return _ILLEGAL.sub("", value)[:MAX_TEXT]


def needs_quote_prefix(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _styles(vnd_format: str) -> str:
    return (
        f'{HEADER}<styleSheet xmlns="{MAIN}">'
        '<numFmts count="3">'
        f'<numFmt numFmtId="164" formatCode={quoteattr(vnd_format)}/>'
        '<numFmt numFmtId="165" formatCode="DD/MM/YYYY"/>'
        '<numFmt numFmtId="166" formatCode="0&quot; %&quot;"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/>'
        '<bgColor indexed="64"/></patternFill></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
        'applyFill="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
        'applyFill="1" applyAlignment="1" quotePrefix="1">'
        '<alignment vertical="center" wrapText="1"/></xf>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _text(value: str) -> str:
    value = escape(value, {"\r": "&#13;"})  # a bare CR would be read back as a line feed
    space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
    return f"<is><t{space}>{value}</t></is>"


def _cell(ref: str, value: Any, style: int) -> str:
    if value is None or value == "":
        return ""
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        style = style or STYLE_DATE
        return f'<c r="{ref}" s="{style}"><v>{(value - EPOCH).days}</v></c>'
    text = clean_text(str(value))
    if needs_quote_prefix(text):
        s = f' s="{STYLE_HEADER_QUOTED if style == STYLE_HEADER else STYLE_QUOTED}"'
    return f'<c r="{ref}" t="inlineStr"{s}>{_text(text)}</c>'


def write(
    target: str | IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    kinds: Sequence[str],
    rows: Iterable[Sequence[Any]],
    count: int,
    vnd_format: str = VND_FORMAT,
) -> None:
    """Write one sheet: ``headers``, then ``rows`` (``count`` of them, for the autofilter)."""
    letters = [column_letter(i) for i in range(1, len(headers) + 1)]
    styles = [FORMATS.get(kind, STYLE_DEFAULT) for kind in kinds]
    last = f"{letters[-1]}{count + 1}"
    sheet_name = _ILLEGAL.sub("", title)[:31].replace("'", "")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'{HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'{HEADER}<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'{HEADER}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            f'<sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
            f"hidden=\"1\">'{escape(sheet_name)}'!$A$1:${letters[-1]}${count + 1}"
            "</definedName></definedNames></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{HEADER}<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/styles.xml", _styles(vnd_format))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in enumerate(widths, start=1)
            )
            head = "".join(
                _cell(f"{letter}1", header, STYLE_HEADER)
                for letter, header in zip(letters, headers, strict=True)
            )
            sheet.write(
                (
                    f'{HEADER}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
                    f'<dimension ref="A1:{last}"/>'
                    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                    'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
                    "</sheetView></sheetViews>"
                    f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
                    f'<row r="1">{head}</row>'
                ).encode()
            )
            buffer: list[str] = []
            number = 1
            for row in rows:
                number += 1
                cells = "".join(
                    _cell(f"{letter}{number}", value, style)
                    for letter, value, style in zip(letters, row, styles, strict=True)
                )
                buffer.append(f'<row r="{number}">{cells}</row>')
                if len(buffer) >= 1000:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
            sheet.write("".join(buffer).encode())
            sheet.write(f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>'.encode())


# --------------------------------------------------------------------------------------------
# openpyxl workbooks: every value goes in through ``put`` (text as text), formulas only
# through ``formula``.


def new_workbook() -> Any:
    from openpyxl import Workbook

    return Workbook()


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write ``value`` in a cell of an openpyxl ``sheet`` and return the cell. Text is stored
    as text, exactly as typed (see the module's note); anything else keeps its type."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error otherwise
        if needs_quote_prefix(text):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


# The computed values of the formulas of each openpyxl sheet: {sheet: {"B18": value}}.
_CACHED: WeakKeyDictionary[Any, dict[str, int | float | str]] = WeakKeyDictionary()


def formula(
    sheet: Any, row: int, column: int, expression: str, value: int | float | str | None = None
) -> Any:
    """A formula the system writes itself (never one made of user data), with the ``value``
    it computes (kept in the file for viewers that do not recalculate)."""
    cell = sheet.cell(row=row, column=column)
    cell.value = f"={expression}"
    if value is not None:
        _CACHED.setdefault(sheet, {})[cell.coordinate] = value
    return cell


def _with_cached_values(content: bytes, workbook: Any) -> bytes:
    """The saved file ``content`` with each recorded formula value in its cell's ``<v>``
    (a string result gets ``t="str"``, as Excel writes it)."""
    from lxml import etree

    parts = {
        sheet.path.lstrip("/"): _CACHED[sheet] for sheet in workbook.worksheets if sheet in _CACHED
    }
    if not parts:
        return content
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            values = parts.get(item.filename)
            if values:
                root = etree.fromstring(data)
                for cell in root.iter(f"{{{MAIN}}}c"):
                    value = values.get(cell.get("r"))
                    if value is None or cell.find(f"{{{MAIN}}}f") is None:
                        continue
                    v = cell.find(f"{{{MAIN}}}v")
                    if v is None:
                        v = etree.SubElement(cell, f"{{{MAIN}}}v")
                    v.text = clean_text(value) if isinstance(value, str) else str(value)
                    if isinstance(value, str):
                        cell.set("t", "str")
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, data)
    return buffer.getvalue()


ANNEX_HEADER_ROW = 4
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

    put(sheet, 1, 1, table.title).font = Font(name=font, bold=True, size=13)
    sheet.merge_cells(f"A1:{last_column}1")
    put(sheet, 2, 1, table.subtitle).font = Font(name=font, italic=True, size=12)
    sheet.merge_cells(f"A2:{last_column}2")
    for cell in ("A1", "A2"):
        sheet[cell].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[2].height = 32

    header = table.header_row
    header_fill = PatternFill("solid", fgColor=XLSX_HEADER_FILL)
    for index, heading in enumerate(table.columns, start=1):
        cell = put(sheet, header, index, heading)
        cell.font = Font(name=font, bold=True, size=11)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[header].height = 45

    # Data cells: each column's style is registered with the workbook once (its first cell),
    # then the later rows copy that cell's style indices (as openpyxl's own worksheet copy
    # does): registering a Font/Border/Alignment per cell hashes them against every style of
    # the workbook, which cost more than writing the values. A quote-prefixed text (``put``)
    # keeps its own style.
    column_styles: dict[int, Any] = {}
    row = header
    for values in table.rows:
        row += 1
        for index, value in enumerate(values, start=1):
            cell = put(sheet, row, index, value)
            quoted = cell.quotePrefix
            style = column_styles.get(index)
            if style is not None:
                cell._style = copy(style)
                cell.quotePrefix = quoted
                continue
            cell.font = Font(name=font, size=11)
            cell.border = border
            money = index in table.money_columns
            number_format = VND_FORMAT if money else table.number_formats.get(index)
            cell.alignment = Alignment(vertical="top", wrap_text=number_format is None)
            if number_format:
                cell.number_format = number_format
            cell.quotePrefix = False
            column_styles[index] = copy(cell._style)
            cell.quotePrefix = quoted
    first_data, last_data = header + 1, row

    if table.rows:
        total_row = row + 1
        counted = get_column_letter(table.counted_column)
        put(sheet, total_row, table.label_column, table.total_label)
        count = sum(
            1 for values in table.rows if values[table.counted_column - 1] not in (None, "")
        )
        formula(
            sheet,
            total_row,
            table.count_column,
            f'COUNTA({counted}{first_data}:{counted}{last_data})&"{table.count_suffix}"',
            value=f"{count}{table.count_suffix}",
        )
        for index in sorted(table.money_columns):
            letter = get_column_letter(index)
            total = sum(
                value
                for values in table.rows
                if isinstance(value := values[index - 1], int | float)
                and not isinstance(value, bool)
            )
            cell = formula(
                sheet,
                total_row,
                index,
                f"SUM({letter}{first_data}:{letter}{last_data})",
                value=total,
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

    cell = put(sheet, row, 1, text)
    cell.font = Font(name=XLSX_FONT, size=11, bold=bold, italic=not bold)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A{row}:{get_column_letter(columns)}{row}")
    sheet.row_dimensions[row].height = 32


def save_workbook(workbook: Any, *, title: str = "", creator: str = "") -> bytes:
    if title:
        workbook.properties.title = title
    if creator:
        workbook.properties.creator = creator
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _with_cached_values(buffer.getvalue(), workbook)
