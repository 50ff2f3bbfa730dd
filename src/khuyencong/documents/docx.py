"""DOCX documents laid out per Decree 30/2020/NĐ-CP: docxtpl over a template built by
``documents.docx_template``. Every document of the system (reports, decisions) renders here."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

from khuyencong.documents import charts
from khuyencong.documents.docx_sandbox import DocumentEnvironment, render_budget

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_HEADING = "Nơi nhận:"
CHART_WIDTH_MM = 160

# Paragraph kinds the templates lay out (``docx_template``): HEADING (the "Thứ nhất, …"
# lines), BODY, ITEM (a "– " line); CENTER (bold, centred) in decisions.
HEADING = "heading"
BODY = "body"
ITEM = "item"
CENTER = "center"


@dataclass(frozen=True)
class TableAnnex:
    """A table annex after a document's content, in a landscape section of its own: a bold
    centred ``title``, an italic ``subtitle``, a bordered table with a header row repeated on
    every page, ``rows`` of text and an optional bold ``total`` row. The ``right_aligned``
    columns (money, 0-based) are right-aligned, the first one centred."""

    title: str
    subtitle: str
    columns: Sequence[str]
    widths_mm: Sequence[int]
    rows: Sequence[Sequence[str]]
    total: Sequence[str] | None = None
    right_aligned: Sequence[int] = ()


ANNEX_CELL_SIZE = 10  # pt: eleven columns fit a landscape A4 page


def append_table_annex(document: Any, annex: TableAnnex) -> None:
    """Add ``annex`` at the end of a python-docx ``document`` (after the rendered template,
    so any template, an uploaded one included, gets it)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    from khuyencong.documents.docx_template import _borders, _set_font, _widths

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(15)
    section.left_margin, section.right_margin = Mm(15), Mm(15)
    section.different_first_page_header_footer = False  # numbered from its first page

    def paragraph(container: Any, text: str, **font: Any) -> Any:
        align = font.pop("align", WD_ALIGN_PARAGRAPH.CENTER)
        size = font.pop("size", 13)
        item = container.add_paragraph()
        item.alignment = align
        item.paragraph_format.first_line_indent = None
        item.paragraph_format.space_after = Pt(0)
        if text:
            _set_font(item.add_run(text), size=Pt(size), **font)
        return item

    paragraph(document, annex.title, bold=True, size=14)
    paragraph(document, annex.subtitle, italic=True)
    paragraph(document, "")
    table = document.add_table(rows=1, cols=len(annex.columns))
    _borders(table)
    _widths(table, [Mm(width) for width in annex.widths_mm])
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, heading in zip(header.cells, annex.columns, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(cell.paragraphs[0].add_run(heading), size=Pt(ANNEX_CELL_SIZE), bold=True)
    lines = [(row, False) for row in annex.rows]
    if annex.total is not None:
        lines.append((annex.total, True))
    for values, bold in lines:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.width = Mm(annex.widths_mm[index])
            target = cell.paragraphs[0]
            if index == 0:
                target.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif index in annex.right_aligned:
                target.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if text:
                _set_font(target.add_run(text), size=Pt(ANNEX_CELL_SIZE), bold=bold)


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = BODY


@cache
def _docx_jinja_environment() -> DocumentEnvironment:
    """The one sandboxed environment of every document (``docx_sandbox``), per process."""
    return DocumentEnvironment()


def render_docx_context(
    context: dict[str, Any],
    *,
    template: Path | IO[bytes],
    title: str = "",
    author: str = "",
    subject: str = "",
    chart_list: list[charts.BarChart] | tuple = (),
    table_annex: TableAnnex | None = None,
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
    with render_budget():  # one set of limits for all the parts of the document
        document.render({"doc": context}, jinja_env=_docx_jinja_environment(), autoescape=True)
    if table_annex is not None:
        append_table_annex(document.docx, table_annex)
    properties = document.docx.core_properties
    properties.title = title
    properties.author = author
    properties.subject = subject
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
