"""DOCX documents laid out per Decree 30/2020/NĐ-CP: docxtpl over a template built by
``documents.docx_template``. Every document of the system (reports, decisions) renders here."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

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


ANNEX_CELL_SIZE = 9  # pt: eleven columns fit a landscape A4 page
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ANNEX_CELL_MARGIN = 57  # twentieths of a point: 1 mm each side (Word's default is 1.9 mm)


def append_table_annex(document: Any, annex: TableAnnex) -> None:
    """Add ``annex`` at the end of a python-docx ``document`` (after the rendered template,
    so any template, an uploaded one included, gets it)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from khuyencong.documents.docx_template import _borders, _set_font, _widths

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(15)
    section.left_margin, section.right_margin = Mm(15), Mm(10)
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
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(ANNEX_CELL_MARGIN))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)
    _widths(table, [Mm(width) for width in annex.widths_mm])
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, heading in zip(header.cells, annex.columns, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(cell.paragraphs[0].add_run(heading), size=Pt(ANNEX_CELL_SIZE), bold=True)
    lines = [(row, False) for row in annex.rows]
    if annex.total is not None:
        lines.append((annex.total, True))
    # One parse for every row: python-docx's add_row/add_run per cell were most of a busy
    # province-year's report (docs/performance.md); the XML is what they would write.
    table._tbl.extend(list(parse_xml(_annex_rows_xml(annex, lines))))


def _annex_rows_xml(annex: TableAnnex, lines: Sequence[tuple[Sequence[str], bool]]) -> str:
    """``<w:tr>`` elements of the annex body, as ``append_table_annex`` lays them out: each
    cell its column's width, the first column centred, money right-aligned, 9 pt text."""
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm

    from khuyencong.documents.docx_template import FONT

    fonts = "".join(f' w:{slot}="{escape(FONT)}"' for slot in ("ascii", "hAnsi", "cs", "eastAsia"))
    size = f'<w:sz w:val="{ANNEX_CELL_SIZE * 2}"/>'
    widths = [Mm(width).twips for width in annex.widths_mm]
    alignments = [
        "center" if index == 0 else "right" if index in annex.right_aligned else ""
        for index in range(len(annex.columns))
    ]
    parts = [f"<w:body {nsdecls('w')}>"]
    for values, bold in lines:
        parts.append("<w:tr>")
        for text, width, align in zip(values, widths, alignments, strict=True):
            parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>')
            if align:
                parts.append(f'<w:pPr><w:jc w:val="{align}"/></w:pPr>')
            if text:
                parts.append(
                    f"<w:r><w:rPr><w:rFonts{fonts}/>{'<w:b/>' if bold else ''}{size}</w:rPr>"
                    f"{_run_content(text)}</w:r>"
                )
            parts.append("</w:p></w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:body>")
    return "".join(parts)


def _run_content(text: str) -> str:
    """A run's text as python-docx's ``add_run`` writes it: a tab is ``<w:tab/>``, a line
    break ``<w:br/>``; characters XML cannot hold are dropped."""
    pieces = []
    lines = _NOT_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        if index:
            pieces.append("<w:br/>")
        for position, chunk in enumerate(line.split("\t")):
            if position:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(pieces)


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
