"""Report pages: saved reports, the builder's preview with editable texts, a saved report with
its progress and files, the changes since an earlier report, the current DOCX template.

Views parse input, call ``builder``/``services`` and render; nothing here computes a figure.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khuyencong.accounts import roles
from khuyencong.core.bounds import YearFilter
from khuyencong.core.forms import StyledForm
from khuyencong.core.uploads import download_response
from khuyencong.core.views import FilteredListView
from khuyencong.reports import render as renderers
from khuyencong.reports import services, snapshot
from khuyencong.reports.builder import ReportRefused, build_report
from khuyencong.reports.changes import changes_between
from khuyencong.reports.docx_template import TEMPLATE_PATH
from khuyencong.reports.edits import starting_edits
from khuyencong.reports.forms import ReportEditForm, ReportScopeForm, SinceForm
from khuyencong.reports.models import PERIOD_CHOICES, ReportState, ReportTemplate, SavedReport

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
RENDERERS = {
    "pdf": renderers.render_pdf,
    "xlsx": renderers.render_xlsx,
}
REPORT_SCOPE = {"province": "province", "district": None, "beneficiary": None}


def _attachment(content: bytes, fmt: str, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{stem}.{fmt}"'
    return response


# --------------------------------------------------------------------------------------------
# Saved reports


class SavedReportFilter(django_filters.FilterSet):
    year = YearFilter(label=gettext_lazy("Year"))
    period = django_filters.ChoiceFilter(
        label=gettext_lazy("Report period"), choices=PERIOD_CHOICES
    )

    class Meta:
        model = SavedReport
        fields: list[str] = []
        form = StyledForm


class SavedReportListView(FilteredListView):
    model = SavedReport
    permission = "reports.view"
    filterset_class = SavedReportFilter
    scope_lookups = REPORT_SCOPE
    search_field = "title"
    template_name = "reports/report_list.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().active().select_related("province", "author")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_create"] = roles.allowed(self.request.user, "reports.create")
        return context


def _saved(request: HttpRequest, pk: int) -> SavedReport:
    roles.require_page(request, "reports.view")
    queryset = roles.scope_queryset(
        request.user, SavedReport.objects.active(), **REPORT_SCOPE
    ).select_related("province", "author", "template")
    return get_object_or_404(queryset, pk=pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _saved(request, pk)
    context: dict[str, Any] = {"report": report}
    if report.is_ready:
        data = snapshot.load(report.snapshot)
        context["doc"] = renderers.document_context(data)
        context["warnings"] = data.warnings
        context["previous"] = services.previous_report(report)
    context["may_archive"] = roles.allowed(request.user, "reports.create", report)
    return render(request, "reports/report_detail.html", context)


@login_required
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial the report page polls while the files are being generated."""
    report = _saved(request, pk)
    response = render(request, "reports/_status.html", {"report": report})
    if report.is_ready and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"  # show the finished report
    return response


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    report = _saved(request, pk)
    if fmt not in CONTENT_TYPES or not report.is_ready:
        raise Http404(fmt)
    stored = report.file_for(fmt)
    return FileResponse(
        stored.open("rb"),
        as_attachment=fmt != "pdf",
        filename=f"{services.download_name(report)}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )


@login_required
def report_changes(request: HttpRequest, pk: int) -> HttpResponse:
    report = _saved(request, pk)
    if not report.is_ready:
        raise Http404
    others = (
        roles.scope_queryset(request.user, SavedReport.objects.active(), **REPORT_SCOPE)
        .same_scope(report)
        .filter(state=ReportState.READY)
        .exclude(pk=report.pk)
        .select_related("province")
        .order_by("-as_of", "-created_at")
    )
    form = SinceForm(request.GET or None, queryset=others)
    since = form.cleaned_data.get("since") if form.is_valid() else None
    since = since or services.previous_report(report)
    changes = changes_between(since.snapshot, report.snapshot) if since else []
    if since and not form.is_bound:
        form = SinceForm(initial={"since": since.pk}, queryset=others)
    context = {"report": report, "since": since, "changes": changes, "form": form}
    return render(request, "reports/report_changes.html", context)


@login_required
@require_POST
def report_archive(request: HttpRequest, pk: int) -> HttpResponse:
    report = _saved(request, pk)
    try:
        services.archive_report(user=request.user, report=report)
    except ReportRefused as refused:
        raise PermissionDenied(refused.message) from None
    messages.success(request, _("The report was archived."))
    return redirect("reports:index")


# --------------------------------------------------------------------------------------------
# Building a report: parameters, then the preview with its editable texts


def _scope_form(request: HttpRequest) -> ReportScopeForm:
    return ReportScopeForm(request.GET or None, user=request.user)


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    roles.require_page(request, "reports.view")
    form = _scope_form(request)
    if form.is_bound and form.is_valid():
        return redirect(f"{reverse('reports:preview')}?{urlencode(form.query())}")
    return render(request, "reports/report_new.html", {"form": form})


@login_required
def report_preview(request: HttpRequest) -> HttpResponse:
    roles.require_page(request, "reports.view")
    scope_form = _scope_form(request)
    if not scope_form.is_valid():
        return render(request, "reports/report_new.html", {"form": scope_form})
    params = scope_form.cleaned_data
    try:
        data = build_report(
            user=request.user,
            province=params["province"],
            year=params["year"],
            period=params["period"],
            as_of=params["as_of"],
        )
    except ReportRefused as refused:
        raise PermissionDenied(refused.message) from None
    if request.method == "POST":
        form = ReportEditForm(request.POST, data_for=data)
        action = request.POST.get("action", "refresh")
        if form.is_valid():
            edits = form.to_edits()
            shown = edits.apply(data)
            if action == "save":
                return _save(request, params, data, edits)
            if action == "docx":
                template = services.docx_template(ReportTemplate.current())
                content = renderers.render_docx(shown, template=template)
                return _attachment(content, "docx", renderers.file_stem(shown))
            if action in RENDERERS:
                return _attachment(RENDERERS[action](shown), action, renderers.file_stem(shown))
        else:
            shown = data
    else:
        form = ReportEditForm(data_for=data)
        shown = _starting(data)
    context = {
        "scope_form": scope_form,
        "form": form,
        "data": shown,
        "doc": renderers.document_context(shown),
        "may_save": roles.allowed(request.user, "reports.create"),
        "query": urlencode(scope_form.query()),
    }
    if getattr(request, "htmx", False) and request.method == "POST":
        return render(request, "reports/report_preview.html#document", context)
    return render(request, "reports/report_preview.html", context)


def _starting(data: Any) -> Any:
    return starting_edits(data).apply(data)


def _save(request: HttpRequest, params: dict[str, Any], data: Any, edits: Any) -> HttpResponse:
    try:
        report = services.save_report(
            user=request.user,
            province=params["province"],
            year=params["year"],
            period=params["period"],
            as_of=data.as_of,
            edits=edits,
        )
    except ReportRefused as refused:
        raise PermissionDenied(refused.message) from None
    if report.state == ReportState.FAILED:
        messages.error(request, report.message)
    elif report.is_ready:
        messages.success(request, _("The report was saved with its files."))
    else:
        messages.info(request, _("The report is being generated; this page shows its progress."))
    return redirect("reports:detail", pk=report.pk)


# --------------------------------------------------------------------------------------------
# The DOCX template in use (to edit it in Word and upload a new version in the admin)


@login_required
def template_download(request: HttpRequest) -> FileResponse:
    roles.require_page(request, "reports.manage_templates")
    current = ReportTemplate.current()
    handle = current.file.open("rb") if current else TEMPLATE_PATH.open("rb")
    version = f"v{current.version}" if current else "mac-dinh"
    return download_response(
        handle, filename=f"mau-bao-cao-{version}.docx", content_type=CONTENT_TYPES["docx"]
    )
