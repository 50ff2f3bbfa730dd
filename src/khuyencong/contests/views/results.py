"""After the panel: the jury's announcement, complaints, the decision, certificates, the
decision documents and the public verification page."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.contests import dates as contest_dates
from khuyencong.contests import documents, selectors, services
from khuyencong.contests.forms import (
    AnnounceForm,
    ComplaintForm,
    DecisionForm,
    ResolveForm,
    RevokeForm,
    VerifyForm,
)
from khuyencong.contests.models import Certificate, Complaint, ContestStatus
from khuyencong.contests.views.common import error_text, require, visible_contest
from khuyencong.core.search import search
from khuyencong.core.views import FilteredListView

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form_page(request, form, title, contest, **extra):
    return render(
        request, "contests/form.html", {"form": form, "title": title, "contest": contest, **extra}
    )


@login_required
def announce(request: HttpRequest, pk: int) -> HttpResponse:
    """The jury's result (recorded by its chair, or by staff for it)."""
    contest = visible_contest(request, pk)
    if not (
        services.is_chair(request.user, contest)
        or roles.allowed(request.user, "contests.manage", contest)
    ):
        raise PermissionDenied(_("Only the jury's chair or the organisers record the result."))
    form = AnnounceForm(
        request.POST or None,
        contest=contest,
        initial={"announced_on": contest_dates.result_day(contest)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.announce_results(
                contest=contest,
                actor=request.user,
                announced_on=form.cleaned_data["announced_on"],
                recognised_ids=[entry.pk for entry in form.cleaned_data["recognised"]],
            )
        except services.ContestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Results announced; the complaint period is running."))
            return redirect("contests:detail", contest.pk)
    return _form_page(request, form, _("Announce the results"), contest)


@login_required
def complaint_add(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    require(request, "contests.manage", contest)
    form = ComplaintForm(
        request.POST or None,
        contest=contest,
        initial={"received_on": contest_dates.complaint_day(contest)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.file_complaint(
                contest=contest, actor=request.user, **form.cleaned_data
            )
        except services.ContestError as error:
            form.add_error(None, str(error))
        else:
            if not complaint.filed_in_time:
                messages.warning(request, _("Recorded, but received after the complaint period."))
            else:
                messages.success(request, _("Complaint recorded."))
            return redirect("contests:detail", contest.pk)
    return _form_page(request, form, _("Record a complaint"), contest)


@login_required
def complaint_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_object_or_404(Complaint.objects.select_related("contest"), pk=pk)
    contest = visible_contest(request, complaint.contest_id)
    require(request, "contests.manage", contest)
    form = ResolveForm(
        request.POST or None,
        initial={
            "resolved_on": contest_dates.contest_day(contest, not_before=complaint.received_on)
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_complaint(complaint=complaint, actor=request.user, **form.cleaned_data)
        except services.ContestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Complaint resolved."))
            return redirect("contests:detail", contest.pk)
    return _form_page(request, form, _("Resolve a complaint"), contest, complaint=complaint)


@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    require(request, "contests.manage", contest)
    if contest.status != ContestStatus.RESULTS_ANNOUNCED:
        messages.error(request, _("The decision follows the announcement of the results."))
        return redirect("contests:detail", contest.pk)
    form = DecisionForm(
        request.POST or None, initial={"decision_date": contest_dates.decision_day(contest)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.record_decision(
                contest=contest, actor=request.user, **form.cleaned_data
            )
        except services.ContestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Decision recorded; %(count)d certificate(s) issued.") % {"count": len(issued)},
            )
            return redirect("contests:detail", contest.pk)
    return _form_page(request, form, _("Record the recognition decision"), contest)


@login_required
def decision_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    contest = visible_contest(request, pk)
    require(request, "contests.view", contest)
    if not contest.is_panel_closed or contest.status == ContestStatus.PANEL_CLOSED:
        raise Http404(_("The decision lists the products once the results are announced."))
    if fmt == "docx":
        content, content_type = documents.decision_docx(contest), DOCX
    elif fmt == "xlsx":
        content, content_type = documents.decision_xlsx(contest), XLSX
    else:
        raise Http404(fmt)
    response = HttpResponse(content, content_type=content_type)
    stem = documents.decision_file_stem(contest)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _visible_certificate(request: HttpRequest, pk: int) -> Certificate:
    queryset = selectors.certificate_list(request.user).select_related(
        "entry__product_group", "beneficiary__commune__parent__parent", "contest__area__province"
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    if not (
        roles.allowed(request.user, "contests.view")
        or roles.allowed(request.user, "beneficiaries.view")
    ):
        raise PermissionDenied
    certificate = _visible_certificate(request, pk)
    response = HttpResponse(documents.certificate_pdf(certificate), content_type="application/pdf")
    stem = documents.certificate_file_stem(certificate)
    response["Content-Disposition"] = f'inline; filename="{stem}.pdf"'
    return response


@login_required
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _visible_certificate(request, pk)
    require(request, "contests.manage", certificate)
    form = RevokeForm(request.POST or None, initial={"revoked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_certificate(
                certificate=certificate, actor=request.user, **form.cleaned_data
            )
        except services.ContestError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Certificate revoked."))
            return redirect("contests:certificates")
    return _form_page(
        request, form, _("Revoke certificate %(number)s") % {"number": certificate.number}, None
    )


class CertificateListView(FilteredListView):
    """Certificates in the user's scope; ``?expiring=1`` keeps those expiring within 90 days."""

    model = Certificate
    permission = "contests.manage"
    template_name = "contests/certificate_list.html"
    search_field = "number"

    def get_queryset(self):
        self.filterset = None
        today = timezone.localdate()
        if self.request.GET.get("expiring"):
            queryset = selectors.expiring_certificates(self.request.user, today)
        else:
            queryset = selectors.certificate_list(self.request.user).active()
        query = (self.request.GET.get("q") or "").strip()
        if query:
            return queryset.filter(number__icontains=query) | search(
                queryset, query, "beneficiary__search_text"
            )
        return queryset

    def get_context_data(self, **kwargs):
        context = super(FilteredListView, self).get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            q=self.request.GET.get("q", ""),
            expiring=bool(self.request.GET.get("expiring")),
            today=today,
            soon=today + datetime.timedelta(days=selectors.EXPIRY_WARNING_DAYS),
            query_string=self.request.GET.urlencode(),
        )
        return context


def verify(request: HttpRequest) -> HttpResponse:
    """Public: anyone can check a certificate by its exact number (no login).

    It shows what a verifier compares with the paper — the status, the product, the holder's
    name, the level and the contest's decision — and nothing else about the holder (no
    address or other contact details): numbers are sequential, so the page must not be a
    directory of holders. Requests per address are limited (settings.RATE_LIMITS)."""
    form = VerifyForm(request.GET or None)
    certificate = None
    searched = False
    if form.is_valid():
        searched = True
        certificate = selectors.find_certificate(form.cleaned_data["number"])
    context = {
        "form": form,
        "certificate": certificate,
        "searched": searched,
        "today": timezone.localdate(),
    }
    return render(request, "contests/verify.html", context)
