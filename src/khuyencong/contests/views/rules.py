"""The dated rules of the vote and the public holidays: listed for staff, edited by the
system administrator (also in the Django admin). Rules are reference data: no area scope."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import modelformset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.contests.forms import CriterionForm, rule_form
from khuyencong.contests.models import (
    CertificateValidityRule,
    ComplaintRule,
    Criterion,
    JurySizeRule,
    ScoreSheet,
    ThresholdRule,
)
from khuyencong.contests.views.common import require
from khuyencong.core.bounds import parse_int
from khuyencong.core.models import PublicHoliday, VersionConflict

RULES: dict[str, type] = {
    "jury-size": JurySizeRule,
    "threshold": ThresholdRule,
    "certificate-validity": CertificateValidityRule,
    "complaints": ComplaintRule,
    "score-sheet": ScoreSheet,
    "holidays": PublicHoliday,
}


@login_required
def rules_index(request: HttpRequest) -> HttpResponse:
    require(request, "contests.view")
    year = request.GET.get("year", "")
    holidays = PublicHoliday.objects.active()
    year_number = parse_int(year, minimum=1, maximum=9999)  # a year a date can hold
    if year_number is not None:  # else all years
        holidays = holidays.filter(date__year=year_number)
    sheets = ScoreSheet.objects.active().prefetch_related("groups__criteria")
    context = {
        "jury_sizes": JurySizeRule.objects.active().select_related("legal_basis"),
        "thresholds": ThresholdRule.objects.active().select_related("legal_basis"),
        "validity": CertificateValidityRule.objects.active().select_related("legal_basis"),
        "complaints": ComplaintRule.objects.active().select_related("legal_basis"),
        "sheets": sheets,
        "holidays": holidays,
        "holiday_years": sorted({d.year for d in PublicHoliday.objects.dates("date", "year")}),
        "year": year,
        "can_edit": roles.allowed(request.user, "contests.rules"),
    }
    return render(request, "contests/rules.html", context)


def _model(kind: str) -> type:
    try:
        return RULES[kind]
    except KeyError:
        raise Http404(kind) from None


@login_required
def rule_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    require(request, "contests.rules")
    model = _model(kind)
    instance = get_object_or_404(model, pk=pk) if pk else None
    form_class = rule_form(model)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except VersionConflict as conflict:
            form.add_error(
                None,
                _("Someone else saved this record (version %(version)s) after you opened it.")
                % {"version": conflict.current.version},
            )
        else:
            messages.success(request, _("Saved."))
            return redirect("contests:rules")
    title = str(model._meta.verbose_name).capitalize()
    return render(request, "contests/form.html", {"form": form, "title": title})


@login_required
def sheet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The criteria of a score sheet: points and weights, while no contest has used it."""
    require(request, "contests.rules")
    sheet = get_object_or_404(ScoreSheet, pk=pk)
    formset_class = modelformset_factory(Criterion, form=CriterionForm, extra=0)
    queryset = Criterion.objects.filter(group__sheet=sheet).order_by("group__order", "order")
    locked = sheet.in_use
    formset = formset_class(request.POST or None, queryset=queryset)
    if request.method == "POST":
        if locked:
            messages.error(request, _("This sheet has scores: make a new sheet instead."))
        elif formset.is_valid():
            with transaction.atomic():
                formset.save()
            messages.success(request, _("Saved."))
            return redirect("contests:rules")
    context: dict[str, Any] = {"sheet": sheet, "formset": formset, "locked": locked}
    return render(request, "contests/sheet_form.html", context)
