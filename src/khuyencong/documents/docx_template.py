"""Builds the DOCX template of a report (templates/reports/report.docx) with python-docx.

The template is a docxtpl (Jinja) document laid out per Decree 30/2020/NĐ-CP, Appendix I:
  * A4, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; page numbers centred at
    the top from page 2;
  * top left: the parent authority (upper case) over the issuing authority (upper case,
    bold) with a short rule under it, then "Số: …/BC-SCT";
  * top right: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (bold, 12 pt) over the motto
    "Độc lập - Tự do - Hạnh phúc" (bold, 13 pt, underlined), then the place and date in
    italics;
  * the document type and the summary line, bold and centred, a short rule under them;
  * the body in Times New Roman 14 pt, justified, first-line indent 1.27 cm, 6 pt between
    paragraphs;
  * bottom left "Nơi nhận:" (bold italic 12 pt) and the recipients (11 pt); bottom right the
    signer's capacity and position (bold, upper case) and name (bold);
  * then, on a page of its own, the annex of charts (pictures of ``charts.BarChart``), unless
    the template has a table annex (below).

Paragraph kinds: "heading" (bold, indented), "center" (bold, centred: the issuing authority
and "QUYẾT ĐỊNH:" lines of a decision), "item", anything else is body text.

An optional annex (``build_template(annex_columns=...)``) follows the signature on a new page:
a bold centred title, an italic subtitle ("Kèm theo Quyết định số …") and a bordered table
with the given headings and one row per ``doc.annex.rows`` item (used by the decision listing
recognised products, contests/documents.py).

Kept reproducible: ``manage.py build_report_template`` rewrites the file, and a test checks
that the committed file matches what this module builds. Edit the layout here, not in Word.
The placeholders are filled by ``render.render_docx`` from ``render.document_context``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TEXT_WIDTH = Mm(210 - 30 - 15)
LEFT_COLUMN = Mm(62)
RIGHT_COLUMN = TEXT_WIDTH - LEFT_COLUMN
# Fixed document properties, so that rebuilding gives the same parts.
BUILT = datetime.datetime(2020, 3, 5, 0, 0, 0)


def _set_font(style_or_run, size=None, bold=None, italic=None, underline=None) -> None:
    font = style_or_run.font
    font.name = FONT
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if underline is not None:
        font.underline = underline
    # python-docx sets only w:ascii/w:hAnsi; Vietnamese text may fall in other slots.
    r_pr = style_or_run.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)


PARAGRAPH_GAP = Pt(6)  # Decree 30: at least 6 pt between paragraphs


def _paragraph_style(
    document,
    name,
    *,
    size=BODY_SIZE,
    bold=False,
    italic=False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_indent=None,
    after=PARAGRAPH_GAP,
):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    _set_font(style, size=size, bold=bold, italic=italic)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = first_indent
    fmt.space_before = Pt(0)
    fmt.space_after = after
    fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    fmt.line_spacing = 1.15
    return style


def _rule(paragraph, indent) -> None:
    """A short horizontal rule: the paragraph's bottom border, narrowed by side indents."""
    fmt = paragraph.paragraph_format
    fmt.left_indent = indent
    fmt.right_indent = indent
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(3)  # just the line, no empty text line above it
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def _cell_paragraph(cell, text, style, *, first=False, **font):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.style = style
    if text:
        _set_font(paragraph.add_run(text), **font)
    return paragraph


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _widths(table, widths) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _page_number_header(section) -> None:
    """PAGE field centred in the header, none on the first page (Decree 30)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), FONT)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "26")
    r_pr.extend([fonts, size])
    text = OxmlElement("w:t")
    text.text = "2"
    run.extend([r_pr, text])
    field.append(run)
    paragraph._p.append(field)


def _borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0")):
            element.set(qn(key), value)
        element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def _annex(document, columns: Sequence[tuple[str, object]], styles: dict) -> None:
    """The annex after the signature: new page, title, subtitle, a table of rows."""
    document.add_paragraph("{%p if doc.annex %}", styles["body"])
    breaker = document.add_paragraph("", styles["title"])
    breaker.add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("{{ doc.annex.title }}", styles["title"])
    document.add_paragraph("{{ doc.annex.subtitle }}", styles["subtitle"])
    _rule(document.add_paragraph("", styles["title"]), Mm(60))
    document.add_paragraph("", styles["body"])
    table = document.add_table(rows=4, cols=len(columns))
    _borders(table)
    _widths(table, [width for _heading, width in columns])
    for cell, (heading, _width) in zip(table.rows[0].cells, columns, strict=True):
        _cell_paragraph(cell, heading, styles["cell_head"], first=True, bold=True)
    header_properties = table.rows[0]._tr.get_or_add_trPr()
    header_properties.append(OxmlElement("w:tblHeader"))  # repeated on every page
    _cell_paragraph(
        table.rows[1].cells[0], "{%tr for row in doc.annex.rows %}", styles["cell"], first=True
    )
    for index, cell in enumerate(table.rows[2].cells):
        style = styles["cell_center"] if index == 0 else styles["cell"]
        _cell_paragraph(cell, f"{{{{ row[{index}] }}}}", style, first=True)
    _cell_paragraph(table.rows[3].cells[0], "{%tr endfor %}", styles["cell"], first=True)
    document.add_paragraph("{%p endif %}", styles["body"])


def build_template(annex_columns: Sequence[tuple[str, object]] | None = None) -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    _page_number_header(section)

    normal = document.styles["Normal"]
    _set_font(normal, size=BODY_SIZE)
    normal.paragraph_format.space_after = Pt(0)

    center = WD_ALIGN_PARAGRAPH.CENTER
    head = _paragraph_style(document, "KC Header", size=Pt(13), align=center, after=Pt(0))
    body = _paragraph_style(document, "KC Body", first_indent=Cm(1.27))
    heading = _paragraph_style(document, "KC Heading", bold=True, first_indent=Cm(1.27))
    item = _paragraph_style(document, "KC Item", first_indent=Cm(1.27))
    closing = _paragraph_style(document, "KC Closing", first_indent=Cm(1.27))
    closing.paragraph_format.keep_with_next = True  # the last paragraph goes with the signature
    title = _paragraph_style(document, "KC Title", bold=True, align=center, after=Pt(0))
    center_bold = _paragraph_style(document, "KC Center", bold=True, align=center)
    left = WD_ALIGN_PARAGRAPH.LEFT
    recipients_heading = _paragraph_style(
        document,
        "KC Recipients Heading",
        size=Pt(12),
        bold=True,
        italic=True,
        align=left,
        after=Pt(0),
    )
    recipient = _paragraph_style(document, "KC Recipient", size=Pt(11), align=left, after=Pt(0))
    signer = _paragraph_style(document, "KC Signer", bold=True, align=center, after=Pt(0))

    # Header block: authority | national title; number | place and date.
    header = document.add_table(rows=2, cols=2)
    _no_borders(header)
    _widths(header, (LEFT_COLUMN, RIGHT_COLUMN))
    top_left, top_right = header.rows[0].cells
    bottom_left, bottom_right = header.rows[1].cells
    _cell_paragraph(top_left, "{{ doc.authority_parent }}", head, first=True)
    _cell_paragraph(top_left, "{{ doc.authority_name }}", head, bold=True)
    _rule(_cell_paragraph(top_left, "", head), Mm(20))
    _cell_paragraph(
        top_right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", head, first=True, size=Pt(12), bold=True
    )
    _cell_paragraph(top_right, "Độc lập - Tự do - Hạnh phúc", head, bold=True, underline=True)
    number = _cell_paragraph(bottom_left, "{{ doc.number_line }}", head, first=True)
    number.paragraph_format.space_before = Pt(6)
    place = _cell_paragraph(
        bottom_right, "{{ doc.place_date }}", head, first=True, size=BODY_SIZE, italic=True
    )
    place.paragraph_format.space_before = Pt(6)

    # Document type and summary line.
    kind = document.add_paragraph("{{ doc.document_type }}", title)
    kind.paragraph_format.space_before = Pt(18)
    document.add_paragraph("{{ doc.title }}", title)
    _rule(document.add_paragraph("", title), Mm(60))
    document.add_paragraph("", body)

    # Body: one paragraph per composed paragraph, styled by its kind.
    document.add_paragraph("{%p for paragraph in doc.paragraphs %}", body)
    document.add_paragraph('{%p if paragraph.kind == "heading" %}', body)
    document.add_paragraph("{{ paragraph.text }}", heading)
    document.add_paragraph('{%p elif paragraph.kind == "center" %}', body)
    document.add_paragraph("{{ paragraph.text }}", center_bold)
    document.add_paragraph("{%p elif loop.last %}", body)
    document.add_paragraph("{{ paragraph.text }}", closing)
    document.add_paragraph('{%p elif paragraph.kind == "item" %}', body)
    document.add_paragraph("{{ paragraph.text }}", item)
    document.add_paragraph("{%p else %}", body)
    document.add_paragraph("{{ paragraph.text }}", body)
    document.add_paragraph("{%p endif %}", body)
    document.add_paragraph("{%p endfor %}", body)

    # Recipients | signer.
    footer = document.add_table(rows=1, cols=2)
    _no_borders(footer)
    _widths(footer, (Mm(80), TEXT_WIDTH - Mm(80)))
    row_properties = footer.rows[0]._tr.get_or_add_trPr()
    row_properties.append(OxmlElement("w:cantSplit"))  # the signature block stays whole
    recipients_cell, signer_cell = footer.rows[0].cells
    _cell_paragraph(recipients_cell, "{{ doc.recipients_heading }}", recipients_heading, first=True)
    _cell_paragraph(recipients_cell, "{%p for line in doc.recipients %}", recipient)
    _cell_paragraph(recipients_cell, "{{ line }}", recipient)
    _cell_paragraph(recipients_cell, "{%p endfor %}", recipient)
    _cell_paragraph(signer_cell, "{%p if doc.signer.capacity %}", signer, first=True)
    _cell_paragraph(signer_cell, "{{ doc.signer.capacity }}", signer)
    _cell_paragraph(signer_cell, "{%p endif %}", signer)
    _cell_paragraph(signer_cell, "{{ doc.signer.position }}", signer)
    for _ in range(4):
        _cell_paragraph(signer_cell, "", signer)
    _cell_paragraph(signer_cell, "{{ doc.signer.name }}", signer)

    if not annex_columns:
        # The report's annex of charts (the chart definitions of the screen and the PDF, as
        # pictures); a document with a table annex (a decision) has none.
        chart = _paragraph_style(document, "KC Chart", align=center, after=Pt(12))
        document.add_paragraph("{%p if doc.charts %}", body)
        annex = document.add_paragraph("{{ doc.charts_heading }}", title)
        annex.paragraph_format.page_break_before = True
        annex.paragraph_format.space_after = Pt(12)
        document.add_paragraph("{%p for chart in doc.charts %}", body)
        document.add_paragraph("{{ chart.image }}", chart)
        document.add_paragraph("{%p endfor %}", body)
        document.add_paragraph("{%p endif %}", body)
    else:
        subtitle = _paragraph_style(
            document, "KC Subtitle", size=Pt(13), italic=True, align=center, after=Pt(0)
        )
        cell = _paragraph_style(document, "KC Cell", size=Pt(12), align=left, after=Pt(0))
        cell_center = _paragraph_style(
            document, "KC Cell Center", size=Pt(12), align=center, after=Pt(0)
        )
        cell_head = _paragraph_style(
            document, "KC Cell Heading", size=Pt(12), bold=True, align=center, after=Pt(0)
        )
        styles = {
            "body": body,
            "title": title,
            "subtitle": subtitle,
            "cell": cell,
            "cell_center": cell_center,
            "cell_head": cell_head,
        }
        _annex(document, annex_columns, styles)

    properties = document.core_properties
    properties.title = "Báo cáo khuyến công"
    properties.author = "Khuyến công"
    properties.last_modified_by = "Khuyến công"
    properties.comments = "Template built by khuyencong.reports.docx_template"
    properties.created = BUILT
    properties.modified = BUILT
    properties.revision = 1
    return document
