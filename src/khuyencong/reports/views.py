"""Report pages: saved reports, the builder's preview with editable texts, a saved report with
its progress and files, the changes since an earlier report, the current DOCX template.

Views parse input, call ``builder``/``services`` and render; nothing here computes a figure.
"""

from __future__ import annotations

import dataclasses
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
from khuyencong.core.bounds import YearFilter, parse_id
from khuyencong.core.forms import StyledForm
from khuyencong.core.models import VersionConflict
from khuyencong.core.uploads import download_response
from khuyencong.core.views import FilteredListView
from khuyencong.places.filters import ProvinceFilter
from khuyencong.reports import render as renderers
from khuyencong.reports import services, signoff, snapshot
from khuyencong.reports.builder import ReportRefused, build_report
from khuyencong.reports.changes import changes_between
from khuyencong.reports.docx_template import TEMPLATE_PATH
from khuyencong.reports.edits import starting_edits
from khuyencong.reports.forms import (
    IssueForm,
    ReportEditForm,
    ReportScopeForm,
    ReturnForm,
    SendForm,
    SinceForm,
    SubmitForm,
    province_choices,
)
from khuyencong.reports.models import (
    LOCKED_STATUSES,
    PERIOD_CHOICES,
    ReportSettings,
    ReportState,
    ReportTemplate,
    SavedReport,
    SignoffStatus,
)

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


STEP_FORMS = {"submit": SubmitForm, "return": ReturnForm, "issue": IssueForm, "send": SendForm}


def _recipients(report: SavedReport) -> str:
    settings_row = ReportSettings.for_scope(report.province)
    return settings_row.recipients if settings_row else ""


def _step_forms(request: HttpRequest, report: SavedReport) -> dict[str, Any]:
    """The sign-off forms the user may use on the report now (unbound)."""
    forms = {}
    for kind, form_class in STEP_FORMS.items():
        if services.may_take(request.user, report, kind):
            extra = {"recipients": _recipients(report)} if kind == "send" else {}
            forms[kind] = form_class(report=report, **extra)
    return forms


def _detail(
    request: HttpRequest, report: SavedReport, bound: tuple[str, Any] | None = None
) -> HttpResponse:
    context: dict[str, Any] = {"report": report}
    if report.is_ready:
        data = snapshot.load(report.snapshot)
        context["doc"] = renderers.document_context(data)
        context["warnings"] = data.warnings
        context["previous"] = services.previous_report(report)
    context["may_archive"] = (
        roles.allowed(request.user, "reports.create", report) and not report.is_locked
    )
    step_forms = _step_forms(request, report)
    if bound is not None:
        step_forms[bound[0]] = bound[1]
        context["form"] = bound[1]  # the refused step's form, with its errors and input
    context["step_forms"] = step_forms
    context["steps"] = report.signoff_steps.select_related("actor")
    context["replaced_by"] = services.replaced_by(report)
    context["corrections"] = report.corrections.active().order_by("-created_at")
    context["may_correct"] = (
        report.is_locked
        and report.is_ready
        and roles.allowed(request.user, "reports.create", report)
        and services.side_problem(request.user, report) is None
    )
    if context["may_correct"]:
        query = {
            "province": str(report.province_id or ""),
            "year": str(report.year),
            "period": report.period,
            "as_of": report.as_of.isoformat(),
            "corrects": str(report.pk),
        }
        context["correct_url"] = f"{reverse('reports:preview')}?{urlencode(query)}"
    context["deadline"] = signoff.deadline(report.period, report.year)
    context["late"] = signoff.is_late(report.period, report.year, report.sent_on)
    return render(request, "reports/report_detail.html", context)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _saved(request, pk))


def _take_step(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One sign-off step posted from the report's page: 403 for a user who may not take it,
    the page again with the form's errors (nothing changed) for a refused one."""
    report = _saved(request, pk)
    try:
        services.check_actor(request.user, report, kind)
    except ReportRefused as refused:
        raise PermissionDenied(refused.message) from None
    extra = {"recipients": _recipients(report)} if kind == "send" else {}
    form = STEP_FORMS[kind](request.POST, report=report, **extra)
    if form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("expected_version")
        call = {
            "submit": services.submit_report,
            "return": services.return_report,
            "issue": services.issue_report,
            "send": services.send_report,
        }[kind]
        if kind == "return":
            values = {"reason": values["note"]}
        try:
            call(user=request.user, report=report, expected_version=version, **values)
        except VersionConflict:
            form.add_error(
                None,
                _(
                    "Someone else acted on this report after you opened it: "
                    "check its status and history below, then try again."
                ),
            )
        except services.SignoffRefused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        except ReportRefused as refused:
            raise PermissionDenied(refused.message) from None
        else:
            messages.success(
                request,
                _("Done: %(step)s.") % {"step": signoff.step_label(kind).lower()},
            )
            return redirect("reports:detail", pk=report.pk)
    report.refresh_from_db()
    return _detail(request, report, bound=(kind, form))


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _take_step(request, pk, "submit")


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _take_step(request, pk, "return")


@login_required
@require_POST
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    return _take_step(request, pk, "issue")


@login_required
@require_POST
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _take_step(request, pk, "send")


# --------------------------------------------------------------------------------------------
# The provinces' issued reports, as the national agency receives them


def _provinces(request: HttpRequest | None) -> QuerySet:
    if request is None:
        return SavedReport.objects.none()
    return province_choices(request.user)


class ReceivedReportFilter(django_filters.FilterSet):
    year = YearFilter(label=gettext_lazy("Year"))
    period = django_filters.ChoiceFilter(
        label=gettext_lazy("Report period"), choices=PERIOD_CHOICES
    )
    province = ProvinceFilter(
        label=gettext_lazy("Province"),
        queryset=_provinces,
        method="filter_province",
        empty_label=gettext_lazy("All"),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Sign-off"),
        choices=[(s.value, s.label) for s in SignoffStatus if s in LOCKED_STATUSES],
    )

    class Meta:
        model = SavedReport
        fields: list[str] = []
        form = StyledForm

    def filter_province(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(province=value) if value else queryset


class ReceivedReportListView(FilteredListView):
    """Every province's issued and sent reports (national users; a province's own users see
    their province's), with the day each arrived and the late ones flagged."""

    model = SavedReport
    permission = "reports.view"
    filterset_class = ReceivedReportFilter
    scope_lookups = REPORT_SCOPE
    search_field = "title"
    template_name = "reports/received_list.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .active()
            .filter(province__isnull=False, status__in=LOCKED_STATUSES)
            .select_related("province", "corrects")
            .order_by("-year", "period", "province__name", "-issued_on", "-pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = []
        for report in context["object_list"]:
            rows.append(
                {
                    "report": report,
                    "deadline": signoff.deadline(report.period, report.year),
                    "late": signoff.is_late(report.period, report.year, report.sent_on),
                    "replaced_by": services.replaced_by(report),
                }
            )
        context["rows"] = rows
        context["deadlines_confirmed"] = signoff.DEADLINES_CONFIRMED
        return context


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
    corrects = _corrected(request)
    if request.method == "POST":
        form = ReportEditForm(request.POST, data_for=data)
        action = request.POST.get("action", "refresh")
        if form.is_valid():
            edits = form.to_edits()
            shown = edits.apply(data)
            if action == "save":
                return _save(request, params, data, edits, corrects)
            if action == "docx":
                template = services.docx_template(ReportTemplate.current())
                content = renderers.render_docx(shown, template=template)
                return _attachment(content, "docx", renderers.file_stem(shown))
            if action in RENDERERS:
                return _attachment(RENDERERS[action](shown), action, renderers.file_stem(shown))
        else:
            shown = data
    elif corrects is not None:
        # a correction starts from the texts of the report it corrects (never its number)
        start = _correction_start(corrects, data)
        form = ReportEditForm(data_for=data, initial=_initial(start))
        shown = start.apply(data)
    else:
        form = ReportEditForm(data_for=data)
        shown = _starting(data)
    context = {
        "corrects": corrects,
        "scope_form": scope_form,
        "form": form,
        "data": shown,
        "doc": renderers.document_context(shown),
        "may_save": roles.allowed(request.user, "reports.create"),
        "query": urlencode(
            scope_form.query() | ({"corrects": str(corrects.pk)} if corrects else {})
        ),
    }
    if getattr(request, "htmx", False) and request.method == "POST":
        return render(request, "reports/report_preview.html#document", context)
    return render(request, "reports/report_preview.html", context)


def _starting(data: Any) -> Any:
    return starting_edits(data).apply(data)


def _corrected(request: HttpRequest) -> SavedReport | None:
    """The issued report a correction cites (``?corrects=``), in the user's scope; 404."""
    raw = request.GET.get("corrects")
    if not raw:
        return None
    pk = parse_id(raw)
    if pk is None:
        raise Http404
    return _saved(request, pk)


def _correction_start(corrects: SavedReport, data: Any) -> Any:
    """The texts of the corrected report, the defaults where it kept none; no number."""
    kept = services.edits_of(corrects)
    default = starting_edits(data)
    values = {
        field.name: getattr(kept, field.name) or getattr(default, field.name)
        for field in dataclasses.fields(kept)
    }
    values["section_narratives"] = default.section_narratives | {
        code: text for code, text in kept.section_narratives.items() if text
    }
    values.update(number="", issued_on=data.issued_on)
    return type(kept)(**values)


def _initial(edits: Any) -> dict[str, Any]:
    initial = {
        "number": edits.number,
        "issued_on": edits.issued_on,
        "signer_capacity": edits.signer_capacity,
        "signer_position": edits.signer_position,
        "signer_name": edits.signer_name,
        "solutions": "\n".join(edits.solutions or ()),
        "orientation": "\n".join(edits.orientation or ()),
    }
    if edits.next_year_text is not None:
        initial["next_year_text"] = edits.next_year_text
    for code, text in (edits.section_narratives or {}).items():
        initial[f"narrative_{code}"] = text
    return initial


def _save(
    request: HttpRequest,
    params: dict[str, Any],
    data: Any,
    edits: Any,
    corrects: SavedReport | None = None,
) -> HttpResponse:
    try:
        report = services.save_report(
            user=request.user,
            province=params["province"],
            year=params["year"],
            period=params["period"],
            as_of=data.as_of,
            edits=edits,
            corrects=corrects,
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
