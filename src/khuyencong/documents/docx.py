"""DOCX documents laid out per Decree 30/2020/NĐ-CP: docxtpl over a template built by
``documents.docx_template``. Every document of the system (reports, decisions) renders here."""

from __future__ import annotations

import io
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
    properties = document.docx.core_properties
    properties.title = title
    properties.author = author
    properties.subject = subject
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
