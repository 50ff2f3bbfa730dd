"""ReportData -> documents. One export path: every format starts from ``document_context``
(itself from ``compose``), so DOCX, HTML, PDF and the XLSX annex state the same facts.

  render_docx(data) -> bytes   docxtpl over templates/reports/report.docx (Decree 30 layout)
  render_html(data) -> str     templates/reports/document.html: the on-screen preview's
                               document (reports/_document.html) in a page of its own
  render_pdf(data)  -> bytes   WeasyPrint from render_html, fonts embedded from static files
  render_xlsx(data) -> bytes   the annex (documents.xlsx): one row per project, SUM totals
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from khuyencong.documents import charts, wording
from khuyencong.documents.docx import MOTTO, NATION, RECIPIENTS_HEADING, render_docx_context
from khuyencong.documents.pdf import html_to_pdf
from khuyencong.documents.xlsx import XlsxTable, new_workbook, save_workbook, write_table
from khuyencong.reports.charts import report_charts
from khuyencong.reports.compose import compose, full_title
from khuyencong.reports.data import ReportData
from khuyencong.reports.docx_template import TEMPLATE_PATH

CHARTS_HEADING = "PHỤ LỤC: BIỂU ĐỒ"


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
    """``template``: the repository's (default), or an uploaded version's file."""
    return render_docx_context(
        document_context(data),
        template=template,
        title=full_title(data),
        author=data.authority.name_in_text,
        subject=data.period.label,
        chart_list=report_charts(data),
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


def render_xlsx(data: ReportData) -> bytes:
    """The annex: title rows, a bold frozen header with an autofilter, one row per project
    (money under its source's column), and a totals row of SUM formulas whose values are the
    totals the text states."""
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
    workbook = new_workbook()
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
