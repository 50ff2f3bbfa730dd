"""ReportData -> documents. One export path: every format starts from ``document_context``
(itself from ``compose``), so DOCX, HTML, PDF and the XLSX annex state the same facts.

  render_docx(data) -> bytes   docxtpl over templates/reports/report.docx (Decree 30 layout)
  render_html(data) -> str     templates/reports/document.html: the on-screen preview's
                               document (reports/_document.html) in a page of its own
  render_pdf(data)  -> bytes   WeasyPrint from render_html, fonts embedded from static files
  render_xlsx(data) -> bytes   the annex (documents.xlsx): one row per project, SUM totals

The annex of projects ("PHỤ LỤC") is in all three: a table in its own landscape section of the
DOCX, a landscape page of the HTML/PDF, and the XLSX. Its rows come from one function,
``annex_rows`` (one row per ``ReportData.projects``), and its totals row from ``annex_totals``
(the sums of those rows), so the three cannot disagree with each other or with the text.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from khuyencong.core.money import group_thousands
from khuyencong.documents import charts, wording
from khuyencong.documents.docx import (
    MOTTO,
    NATION,
    RECIPIENTS_HEADING,
    TableAnnex,
    render_docx_context,
)
from khuyencong.documents.pdf import html_to_pdf
from khuyencong.documents.xlsx import XlsxTable, new_workbook, save_workbook, write_table
from khuyencong.projects.models import ProjectKind
from khuyencong.reports.charts import report_charts
from khuyencong.reports.compose import compose, full_title
from khuyencong.reports.data import ProjectLine, ReportData, SourceSection
from khuyencong.reports.docx_template import TEMPLATE_PATH

CHARTS_HEADING = "PHỤ LỤC: BIỂU ĐỒ"

# The annex's budget columns: a project's budget per source (Budget: national, local, the
# beneficiary's counterpart, other).
BUDGET_COLUMNS = (
    ("national", "KCQG"),
    ("local", "KCĐP"),
    ("counterpart", "Đối ứng"),
    ("other", "Khác"),
)
GROUP_LABEL = "Đề án nhóm"
CENTRE_LABEL = "Trung tâm thực hiện"
TOTAL_LABEL = "Tổng cộng"


# --------------------------------------------------------------------------------------------
# The annex of projects: one source of rows for the DOCX, the PDF and the XLSX


@dataclass(frozen=True)
class AnnexRow:
    number: int
    source: str  # the section's label: "Khuyến công quốc gia"
    title: str
    # the establishment, "Đề án nhóm (5 cơ sở)" (with its participants so far) or "Trung tâm
    # thực hiện"
    beneficiary: str
    place: str
    content_area: str
    budgets: tuple[int | None, ...]  # per BUDGET_COLUMNS; None where the source gives nothing
    disbursed: int | None
    status: str
    reference: str


@dataclass(frozen=True)
class AnnexTotals:
    count: int
    budgets: tuple[int, ...]
    disbursed: int


def annex_beneficiary(project: ProjectLine) -> str:
    """Who the project supports, as the annex names it: a group project is never shown with
    an invented beneficiary, a centre-run one has none."""
    if project.kind == ProjectKind.GROUP:
        size = f" ({project.group_size} cơ sở)" if project.group_size else ""
        joined = "; ".join(project.participants)  # the participants so far, as added
        return f"{GROUP_LABEL}{size}" + (f": {joined}" if joined else "")
    if project.kind == ProjectKind.CENTRE:
        return CENTRE_LABEL
    return project.beneficiary_label


def annex_budgets(section: SourceSection, project: ProjectLine) -> tuple[int | None, ...]:
    """The project's budget per annex column (zero left empty). Hand-made lines without a
    split show their ``budget`` under the section's source."""
    codes = [code for code, _label in BUDGET_COLUMNS]
    if project.budget_split is not None:
        amounts = list(project.budget_split)
    else:
        amounts = [0] * len(codes)
        column = codes.index(section.source_code) if section.source_code in codes else -1
        amounts[column] = project.budget
    return tuple(amount or None for amount in amounts)


def annex_rows(data: ReportData) -> list[AnnexRow]:
    return [
        AnnexRow(
            number=number,
            source=section.label,
            title=project.title,
            beneficiary=annex_beneficiary(project),
            place=project.place_label,
            content_area=project.content_area,
            budgets=annex_budgets(section, project),
            disbursed=project.disbursed,
            status=wording.capitalize_first(project.status_line),
            reference=project.reference,
        )
        for number, (section, project) in enumerate(data.projects, start=1)
    ]


def annex_totals(rows: list[AnnexRow]) -> AnnexTotals:
    return AnnexTotals(
        count=len(rows),
        budgets=tuple(
            sum(row.budgets[index] or 0 for row in rows) for index in range(len(BUDGET_COLUMNS))
        ),
        disbursed=sum(row.disbursed or 0 for row in rows),
    )


def status_heading(data: ReportData) -> str:
    return f"Tình trạng đến ngày {wording.date_short(data.as_of)}"


def annex_title(data: ReportData) -> str:
    return f"PHỤ LỤC: {data.annex_title.upper()}"


def annex_subtitle(data: ReportData) -> str:
    return (
        f"(Kèm theo Báo cáo số {data.number_symbol} {wording.date_long(data.issued_on)} "
        f"của {data.authority.name_in_text} — "
        f"tình trạng thực hiện đến {wording.date_long(data.as_of)})"
    )


def _money(amount: int | None, *, zero: str = "") -> str:
    if amount is None:
        return ""  # not known
    return group_thousands(amount) if amount else zero


# The widths of the table's columns in the DOCX (mm on a landscape A4 page) and the PDF.
DOCUMENT_ANNEX_WIDTHS = (10, 44, 30, 30, 26, 20, 20, 18, 16, 20, 31)  # 265 of 267 mm


def annex_table(data: ReportData) -> dict[str, Any]:
    """The annex of the DOCX and the PDF: headings, rows of text, the totals row."""
    rows = annex_rows(data)
    totals = annex_totals(rows)
    headings = [
        "STT",
        "Tên đề án",
        "Đơn vị thụ hưởng",
        "Địa điểm",
        "Nội dung hoạt động",
        *(f"Kinh phí {label} (đồng)" for _code, label in BUDGET_COLUMNS),
        "Đã giải ngân (đồng)",
        status_heading(data),
    ]
    return {
        "title": annex_title(data),
        "subtitle": annex_subtitle(data),
        "columns": headings,
        "widths": DOCUMENT_ANNEX_WIDTHS,
        "width_percents": [
            round(100 * width / sum(DOCUMENT_ANNEX_WIDTHS), 2) for width in DOCUMENT_ANNEX_WIDTHS
        ],
        "money_columns": tuple(range(5, 5 + len(BUDGET_COLUMNS) + 1)),  # 0-based
        "rows": [
            [
                str(row.number),
                row.title,
                row.beneficiary,
                row.place,
                row.content_area,
                *(_money(amount) for amount in row.budgets),
                _money(row.disbursed, zero="0"),
                row.status,
            ]
            for row in rows
        ],
        "total": [
            "",
            f"{TOTAL_LABEL}: {totals.count} đề án",
            "",
            "",
            "",
            *(group_thousands(amount) for amount in totals.budgets),
            group_thousands(totals.disbursed),
            "",
        ],
    }


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
        "project_annex": annex_table(data) if data.projects else None,
        "charts_heading": CHARTS_HEADING,
        "charts": [
            {"key": chart.key, "title": chart.title, "svg": mark_safe(charts.to_svg(chart))}
            for chart in report_charts(data)
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
    """``template``: the repository's (default), or an uploaded version's file. The annex
    table is added after the template's content (an uploaded template need not know it)."""
    context = document_context(data)
    annex = context["project_annex"]
    return render_docx_context(
        context,
        template=template,
        title=full_title(data),
        author=data.authority.name_in_text,
        subject=data.period.label,
        chart_list=report_charts(data),
        table_annex=TableAnnex(
            title=annex["title"],
            subtitle=annex["subtitle"],
            columns=annex["columns"],
            widths_mm=annex["widths"],
            rows=annex["rows"],
            total=annex["total"],
            right_aligned=annex["money_columns"],
        )
        if annex
        else None,
    )


# --------------------------------------------------------------------------------------------
# HTML and PDF


def render_html(data: ReportData) -> str:
    return render_to_string("reports/document.html", {"doc": document_context(data)})


def render_pdf(data: ReportData) -> bytes:
    """The page of ``render_html`` with the charts as the DOCX's pictures (WeasyPrint then
    places two images instead of laying out every bar and label of two SVGs)."""
    context = document_context(data)
    context["charts"] = chart_pictures(report_charts(data))
    return html_to_pdf(render_to_string("reports/document.html", {"doc": context}))


# --------------------------------------------------------------------------------------------
# XLSX annex


def annex_columns(data: ReportData) -> list[str]:
    budget_headings = [f"Kinh phí {label} (đồng)" for _code, label in BUDGET_COLUMNS]
    return [
        "STT",
        "Nguồn kinh phí",
        "Tên đề án",
        "Nội dung hoạt động",
        "Đơn vị thụ hưởng",
        "Địa điểm",
        *budget_headings,
        "Đã giải ngân (đồng)",
        status_heading(data),
        "Mã đề án",
    ]


def render_xlsx(data: ReportData) -> bytes:
    """The annex: title rows, a bold frozen header with an autofilter, one row per project
    (``annex_rows``: its budget per source), and a totals row of SUM formulas with their
    values, which are the totals the text states."""
    columns = annex_columns(data)
    money_columns = set(range(7, 7 + len(BUDGET_COLUMNS) + 1))  # budgets, then disbursed
    rows = [
        [
            row.number,
            row.source,
            row.title,
            row.content_area,
            row.beneficiary,
            row.place,
            *row.budgets,
            row.disbursed,
            row.status,
            row.reference,
        ]
        for row in annex_rows(data)
    ]
    workbook = new_workbook()
    write_table(
        workbook.active,
        XlsxTable(
            sheet_title="Phụ lục",
            title=annex_title(data),
            subtitle=annex_subtitle(data),
            columns=columns,
            rows=rows,
            money_columns=money_columns,
            widths=[6, 22, 48, 26, 30, 30] + [18] * len(money_columns) + [44, 16],
        ),
    )
    return save_workbook(
        workbook, title=f"Phụ lục — {full_title(data)}", creator=data.authority.name_in_text
    )
