"""Report pages. For now one page: the seed report (samples.seed_report_2018) previewed on
screen and downloadable as DOCX, PDF, XLSX and HTML, until reports are built from projects."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from khuyencong.reports import render as renderers
from khuyencong.reports.samples import seed_report_2018

FORMATS = {
    "docx": (
        renderers.render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": (renderers.render_pdf, "application/pdf"),
    "xlsx": (
        renderers.render_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "html": (renderers.render_html, "text/html; charset=utf-8"),
}


@login_required
def preview(request: HttpRequest) -> HttpResponse:
    data = seed_report_2018()
    context = {"doc": renderers.document_context(data), "data": data}
    return render(request, "reports/preview.html", context)


@login_required
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404(fmt)
    renderer, content_type = FORMATS[fmt]
    data = seed_report_2018()
    response = HttpResponse(renderer(data), content_type=content_type)
    disposition = "inline" if fmt in {"pdf", "html"} else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{renderers.file_stem(data)}.{fmt}"'
    return response
