"""DOCX documents laid out per Decree 30/2020/NĐ-CP: docxtpl over a template built by
``documents.docx_template``. Every document of the system (reports, decisions) renders here."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

from khuyencong.documents import charts

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
    document.render({"doc": context}, jinja_env=_docx_jinja_environment(), autoescape=True)
    properties = document.docx.core_properties
    properties.title = title
    properties.author = author
    properties.subject = subject
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
