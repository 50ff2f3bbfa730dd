"""Entries: registration by or for an establishment, the dossier, the eligibility checks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.contests import dates as contest_dates
from khuyencong.contests import eligibility, services
from khuyencong.contests.forms import EntryFileForm, EntryForm, ReviewForm
from khuyencong.contests.models import ContestStatus, Eligibility, Entry, EntryFile
from khuyencong.contests.views.common import error_text, require, visible_contest, visible_entry
from khuyencong.core.models import VersionConflict
from khuyencong.core.uploads import download_response


def _beneficiaries(request: HttpRequest):
    user = request.user
    queryset = Beneficiary.objects.active().select_related("kind")
    return roles.scope_queryset(
        user, queryset, province="province", district="district", beneficiary="pk"
    )


@login_required
def entry_create(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    require(request, "contests.register_entry")
    beneficiaries = _beneficiaries(request)
    form = EntryForm(
        request.POST or None,
        beneficiaries=beneficiaries,
        contest=contest,
        initial={"registered_on": contest_dates.entry_day(contest)},
    )
    if roles.role_of(request.user) == Role.BENEFICIARY:
        form.fields["beneficiary"].initial = request.user.beneficiary_id
    if request.method == "POST" and form.is_valid():
        fields = form.entry_fields()
        beneficiary = fields.pop("beneficiary")
        registered_on = fields.pop("registered_on")
        try:
            entry = services.register_entry(
                contest=contest,
                actor=request.user,
                beneficiary=beneficiary,
                registered_on=registered_on,
                **fields,
            )
        except (services.ContestError, ValidationError) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Entry registered: add its dossier files."))
            return redirect("contests:entry", entry.pk)
    return render(
        request,
        "contests/form.html",
        {"form": form, "title": _("Register a product"), "contest": contest},
    )


OUTCOME_STYLE = {
    eligibility.Outcome.PASS: "success",
    eligibility.Outcome.FAIL: "danger",
    eligibility.Outcome.NEEDS_REVIEW: "warning",
}


def _suggested_decision(entry: Entry, checks: list[Any]) -> str:
    """The decision the review form starts with: the one recorded, else what the checks say
    (a failed check cannot be declared eligible)."""
    if entry.eligibility in (Eligibility.ELIGIBLE, Eligibility.INELIGIBLE):
        return entry.eligibility
    failed = eligibility.overall(checks) == eligibility.Outcome.FAIL
    return Eligibility.INELIGIBLE if failed else Eligibility.ELIGIBLE


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_page(request, visible_entry(request, pk))


def _entry_page(
    request: HttpRequest, entry: Entry, review_form: ReviewForm | None = None
) -> HttpResponse:
    """The entry's page; ``review_form``: a refused review, shown again with its input."""
    user = request.user
    checks = services.entry_checks(entry)
    open_dossier = not entry.contest.is_panel_closed
    can_edit = roles.allowed(user, "contests.register_entry", entry) and open_dossier
    can_review = roles.allowed(user, "contests.manage", entry) and entry.contest.status in {
        ContestStatus.PREPARING,
        ContestStatus.REGISTRATION,
    }
    context = {
        "entry": entry,
        "contest": entry.contest,
        "files": entry.files.active().select_related("uploaded_by"),
        "checks": [(check, OUTCOME_STYLE[check.outcome]) for check in checks],
        "overall": eligibility.overall(checks),
        "overall_style": OUTCOME_STYLE[eligibility.overall(checks)],
        "file_form": EntryFileForm() if can_edit else None,
        "review_form": (
            review_form
            or ReviewForm(
                initial={
                    "decision": _suggested_decision(entry, checks),
                    "eligibility_note": entry.eligibility_note,
                    "expected_version": entry.version,
                }
            )
        )
        if can_review
        else None,
        "judge": services.judge_for(user, entry.contest),
    }
    if review_form is not None:
        context["form"] = review_form
    return render(request, "contests/entry_detail.html", context)


@login_required
@require_POST
def entry_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    entry = visible_entry(request, pk)
    require(request, "contests.register_entry", entry)
    form = EntryFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_entry_file(
                entry=entry,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                photo_view=form.cleaned_data["photo_view"],
            )
        except (services.ContestError, ValidationError) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("File added to the dossier."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("contests:entry", entry.pk)


@login_required
def entry_file_download(request: HttpRequest, pk: int) -> HttpResponse:
    stored = get_object_or_404(EntryFile.objects.active().select_related("entry"), pk=pk)
    visible_entry(request, stored.entry_id)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download_response(
        handle, filename=stored.original_name, content_type=stored.content_type
    )


@login_required
@require_POST
def entry_review(request: HttpRequest, pk: int) -> HttpResponse:
    entry = visible_entry(request, pk)
    decision = roles.check(request.user, "contests.manage", entry)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = ReviewForm(request.POST)
    if not form.is_valid():  # refused input comes back on the page, with the reason
        return _entry_page(request, entry, review_form=form)
    try:
        services.review_eligibility(
            entry=entry,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["eligibility_note"],
            expected_version=form.cleaned_data["expected_version"],
        )
    except (VersionConflict, services.ContestError) as error:
        form.add_error(None, str(error))
        return _entry_page(request, entry, review_form=form)
    messages.success(request, _("Eligibility recorded."))
    return redirect("contests:entry", entry.pk)
