"""ReportData -> documents. One export path: every format starts from ``document_context``
(itself from ``compose``), so DOCX, HTML, PDF and the XLSX annex state the same facts.

  render_docx(data) -> bytes   docxtpl over templates/reports/report.docx (Decree 30 layout)
  render_html(data) -> str     templates/reports/document.html: the on-screen preview's
                               document (reports/_document.html) in a page of its own
  render_pdf(data)  -> bytes   WeasyPrint from render_html, fonts embedded from static files
  render_xlsx(data) -> bytes   openpyxl annex: one row per project, SUM totals
"""

from __future__ import annotations

import atexit
import base64
import io
import mimetypes
import re
import threading
from collections import OrderedDict
from copy import copy
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urljoin, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from khuyencong.reports import charts, wording
from khuyencong.reports.compose import compose, full_title
from khuyencong.reports.data import ReportData
from khuyencong.reports.docx_template import TEMPLATE_PATH

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_HEADING = "Nơi nhận:"
CHARTS_HEADING = "PHỤ LỤC: BIỂU ĐỒ"
CHART_WIDTH_MM = 160


def document_context(data: ReportData) -> dict[str, Any]:
    """Everything a document template prints, already worded."""
    return {
        "authority_parent": data.authority.parent,
        "authority_name": data.authority.name,
        "authority_name_in_text": data.authority.name_in_text,
        "nation": NATION,
        "motto": MOTTO,
        "number_line": data.number_line,
        "place_date": data.place_date_line,
        "document_type": data.document_type,
        "title": data.title,
        "full_title": full_title(data),
        "paragraphs": compose(data),
        "recipients_heading": RECIPIENTS_HEADING,
        "recipients": wording.recipient_lines(data.recipients),
        "signer": data.signer,
        "charts_heading": CHARTS_HEADING,
        "charts": [
            {"key": chart.key, "title": chart.title, "svg": mark_safe(charts.to_svg(chart))}
            for chart in charts.report_charts(data)
        ],
    }


def chart_pictures(chart_list: list[charts.BarChart]) -> list[dict[str, Any]]:
    """The charts as the documents print them: each one's PNG (the DOCX's picture), inline
    as a ``data:`` URL for the PDF."""
    return [
        {
            "key": chart.key,
            "title": chart.title,
            "picture": "data:image/png;base64," + base64.b64encode(charts.to_png(chart)).decode(),
        }
        for chart in chart_list
    ]


def file_stem(data: ReportData) -> str:
    """ "bao-cao-khuyen-cong-H1-2018" (ASCII, for download names)."""
    return f"bao-cao-khuyen-cong-{data.period.kind}-{data.period.year}"


# --------------------------------------------------------------------------------------------
# DOCX


def render_docx(data: ReportData, template: Path | IO[bytes] = TEMPLATE_PATH) -> bytes:
    """``template``: the repository's (default), or an uploaded version's file."""
    return render_docx_context(
        document_context(data),
        template=template,
        title=full_title(data),
        author=data.authority.name_in_text,
        subject=data.period.label,
        chart_list=charts.report_charts(data),
    )


_DOCX_TEMPLATES_KEPT = 16


@cache
def _docx_jinja_environment() -> Any:
    """docxtpl's Jinja environment (autoescaped, as ``render(autoescape=True)`` makes it),
    compiling each template text once per process: docxtpl hands it the XML of every part
    (body, header, core properties) on every render. Keyed by the text itself, so an
    uploaded template version or another document's template is simply another entry."""
    from jinja2 import Environment

    class CompilingOnceEnvironment(Environment):
        def __init__(self) -> None:
            super().__init__(autoescape=True)
            self._compiled: OrderedDict[str, Any] = OrderedDict()
            self._lock = threading.Lock()

        def from_string(self, source: Any, globals: Any = None, template_class: Any = None):
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            with self._lock:
                template = self._compiled.get(source)
                if template is not None:
                    self._compiled.move_to_end(source)
                    return template
            template = super().from_string(source)
            with self._lock:
                self._compiled[source] = template
                while len(self._compiled) > _DOCX_TEMPLATES_KEPT:
                    self._compiled.popitem(last=False)
            return template

    return CompilingOnceEnvironment()


def render_docx_context(
    context: dict[str, Any],
    *,
    template: Path | IO[bytes] = TEMPLATE_PATH,
    title: str = "",
    author: str = "",
    subject: str = "",
    chart_list: list[charts.BarChart] | tuple = (),
) -> bytes:
    """Any Decree 30 document: ``context`` has the keys of ``document_context`` (and
    ``annex`` for a template built with one); the template is built by
    ``docx_template.build_template``. ``chart_list``: pictures for the annex of charts."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    document = DocxTemplate(template if not isinstance(template, Path) else str(template))
    context = {
        **context,
        "charts": [
            {
                "key": chart.key,
                "title": chart.title,
                "image": InlineImage(
                    document, io.BytesIO(charts.to_png(chart)), width=Mm(CHART_WIDTH_MM)
                ),
            }
            for chart in chart_list
        ],
    }
    document.render({"doc": context}, jinja_env=_docx_jinja_environment(), autoescape=True)
    properties = document.docx.core_properties
    properties.title = title
    properties.author = author
    properties.subject = subject
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# HTML and PDF


def render_html(data: ReportData) -> str:
    return render_to_string("reports/document.html", {"doc": document_context(data)})


# WeasyPrint resolves the page's relative URLs against this address; nothing is fetched from
# it: ``StaticFileFetcher`` serves static files from disk and refuses anything else.
PDF_BASE_URL = "http://khuyencong.invalid/"


def static_file_path(relative: str) -> Path | None:
    """A static file on disk: collected (production, possibly hashed names) or found by the
    finders (development and tests)."""
    try:
        collected = Path(staticfiles_storage.path(relative))
    except NotImplementedError:  # remote storage
        collected = None
    if collected is not None and collected.is_file():
        return collected
    found = finders.find(relative)
    return Path(found) if found else None


def _static_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFileFetcher(URLFetcher):
        """Serves the document's stylesheet and fonts from static files; never the network."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:image/png;base64,"):  # the charts' pictures, inline
                return super().fetch(url, headers)
            prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL)
            if not url.startswith(prefix):
                raise ValueError(f"a report may only use static files, not {url}")
            relative = unquote(urlparse(url).path[len(urlparse(prefix).path) :])
            path = static_file_path(relative)
            if path is None:
                raise FileNotFoundError(f"static file {relative!r} not found")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix == ".ttf":
                mime = "font/ttf"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return StaticFileFetcher


def render_pdf(data: ReportData) -> bytes:
    """The page of ``render_html`` with the charts as the DOCX's pictures (WeasyPrint then
    places two images instead of laying out every bar and label of two SVGs)."""
    context = document_context(data)
    context["charts"] = chart_pictures(charts.report_charts(data))
    return html_to_pdf(render_to_string("reports/document.html", {"doc": context}))


# A static stylesheet as the document templates link it (a link with other attributes, a
# media query for instance, is left to WeasyPrint).
STATIC_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
_STYLES_KEPT = 8
_styles = threading.local()
_style_caches: list[dict] = []  # every thread's, emptied at exit


@atexit.register
def _forget_styles() -> None:
    """Drop the kept font configurations while the interpreter still runs (each removes its
    temporary folder of fonts when collected)."""
    for kept in _style_caches:
        kept.clear()


def _pdf_styles(html: str) -> tuple[str, list[Any], Any]:
    """``html`` without its static stylesheet links, those stylesheets parsed, and the font
    configuration their ``@font-face`` rules filled: kept per thread, since making a font
    configuration loads the system's font list and copies each font file into a temporary
    folder, which cost more than laying out a report. Keyed by the linked stylesheets and
    their files' modification times: another page's fonts never leak into a document, and
    an edited stylesheet is read again. The stylesheets apply as they would linked (the
    documents have no other style than WeasyPrint's defaults, which both override)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    prefix = settings.STATIC_URL
    links = [
        (match.group(0), match.group(1))
        for match in STATIC_STYLESHEET.finditer(html)
        if match.group(1).startswith(prefix)
    ]
    if not links:
        return html, [], None
    key = []
    for _tag, href in links:
        path = static_file_path(unquote(href[len(prefix) :]))
        key.append((href, path.stat().st_mtime_ns if path else None))
    kept = getattr(_styles, "kept", None)
    if kept is None:
        kept = _styles.kept = {}
        _style_caches.append(kept)
    elif len(kept) > _STYLES_KEPT:
        kept.clear()
    entry = kept.get(tuple(key))
    if entry is None:
        font_config = FontConfiguration()
        fetcher = _static_fetcher_class()(fail_on_errors=True)
        sheets = [
            CSS(url=urljoin(PDF_BASE_URL, href), url_fetcher=fetcher, font_config=font_config)
            for _tag, href in links
        ]
        entry = kept[tuple(key)] = (sheets, font_config)
    for tag, _href in links:
        html = html.replace(tag, "", 1)
    return html, *entry


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint over a page whose stylesheets and fonts are static files (nothing fetched
    from the network): the one PDF path (reports, certificates)."""
    from weasyprint import HTML

    html, stylesheets, font_config = _pdf_styles(html)
    fetcher = _static_fetcher_class()(fail_on_errors=True)
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=font_config)


# --------------------------------------------------------------------------------------------
# XLSX annex

VND_FORMAT = '#,##0" đ"'


def annex_columns(data: ReportData) -> list[str]:
    status_heading = f"Tình trạng đến ngày {wording.date_short(data.as_of)}"
    budget_headings = [f"Kinh phí {section.short_label} (đồng)" for section in data.sections]
    return [
        "STT",
        "Nguồn kinh phí",
        "Tên đề án",
        "Nội dung hoạt động",
        "Đơn vị thụ hưởng",
        "Địa điểm",
        *budget_headings,
        "Đã giải ngân (đồng)",
        status_heading,
        "Mã đề án",
    ]


ANNEX_HEADER_ROW = 4


def render_xlsx(data: ReportData) -> bytes:
    """The annex: title rows, a bold frozen header with an autofilter, one row per project
    (money under its source's column), and a totals row of SUM formulas whose values are the
    totals the text states."""
    from openpyxl import Workbook

    columns = annex_columns(data)
    money_columns = set(range(7, 7 + len(data.sections) + 1))  # budgets, then disbursed
    rows = []
    for number, (section, project) in enumerate(data.projects, start=1):
        budgets = [project.budget if other is section else None for other in data.sections]
        rows.append(
            [
                number,
                section.label,
                project.title,
                project.content_area,
                project.beneficiary_label,
                project.place_label,
                *budgets,
                project.disbursed,
                wording.capitalize_first(project.status_line),
                project.reference,
            ]
        )
    workbook = Workbook()
    write_table(
        workbook.active,
        XlsxTable(
            sheet_title="Phụ lục",
            title=f"PHỤ LỤC: {data.annex_title.upper()}",
            subtitle=(
                f"(Kèm theo Báo cáo số {data.number_symbol} {wording.date_long(data.issued_on)} "
                f"của {data.authority.name_in_text} — "
                f"tình trạng thực hiện đến {wording.date_long(data.as_of)})"
            ),
            columns=columns,
            rows=rows,
            money_columns=money_columns,
            widths=[6, 22, 48, 26, 30, 30] + [18] * len(money_columns) + [44, 16],
        ),
    )
    return save_workbook(
        workbook, title=f"Phụ lục — {full_title(data)}", creator=data.authority.name_in_text
    )


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
