"""Filters of the list pages (projects, inspections) and the as-of date form."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.catalog.models import BeneficiaryKind, ContentArea, FundingSource
from khuyencong.core.bounds import YearFilter, parse_id
from khuyencong.core.forms import StyledForm
from khuyencong.places.models import AdminUnit
from khuyencong.projects.models import FollowUpStatus, Inspection, Project, Status
from khuyencong.projects.selectors import Phase


class AsOfForm(StyledForm):
    as_of = forms.DateField(label=_("As of"), required=False)


ORDER_CHOICES = [
    ("code", _("Code")),
    ("title", _("Title")),
    ("status", _("Status")),
    ("-progress", _("Work done (highest first)")),
    ("-disbursed", _("Disbursed (highest first)")),
    ("-budget", _("Budget (highest first)")),
    ("place", _("Place")),
]


def _provinces(request: Any) -> Any:
    units = AdminUnit.objects.provinces().order_by("era", "name")
    user = getattr(request, "user", None)
    if user is not None and not roles.is_national(user) and user.province_id:
        units = units.filter(pk__in=roles.province_ids(user))
    return units


def _districts(request: Any) -> Any:
    units = AdminUnit.objects.districts().with_path().order_by("name")  # labels show the path
    user = getattr(request, "user", None)
    if user is not None and not roles.is_national(user) and user.province_id:
        units = units.filter(province_id__in=roles.province_ids(user))
    elif user is None:
        return units.none()
    else:
        units = units.filter(province__isnull=False)
    # With a province chosen, only its districts: the whole country has about 700, and
    # building and rendering them cost more than the rest of the list page.
    province = parse_id(request.GET.get("province")) if hasattr(request, "GET") else None
    if province is not None:
        units = units.filter(province_id__in=AdminUnit.province_family_ids(province))
    return units


class ProjectFilter(django_filters.FilterSet):
    """The project list's filter form; ``selectors.project_list`` applies the values."""

    year = YearFilter(label=_("Year"))
    province = django_filters.ModelChoiceFilter(label=_("Province"), queryset=_provinces)
    district = django_filters.ModelChoiceFilter(label=_("District"), queryset=_districts)
    funding_source = django_filters.ModelChoiceFilter(
        label=_("Funding source"), queryset=FundingSource.objects.active(), to_field_name="code"
    )
    content_area = django_filters.ModelChoiceFilter(
        label=_("Content area"), queryset=ContentArea.objects.active()
    )
    phase = django_filters.ChoiceFilter(label=_("Situation"), choices=list(Phase.LABELS.items()))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    beneficiary_kind = django_filters.ModelChoiceFilter(
        label=_("Beneficiary kind"), queryset=BeneficiaryKind.objects.active(), to_field_name="code"
    )
    as_of = django_filters.DateFilter(label=_("As of"), method="keep")
    order = django_filters.ChoiceFilter(label=_("Sort by"), choices=ORDER_CHOICES, method="keep")

    class Meta:
        model = Project
        fields: list[str] = []
        form = StyledForm

    def keep(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset

    def selector_arguments(self) -> dict[str, Any]:
        """(filters, as_of, order) for ``project_list`` from the valid form."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        filters = {
            "year": data.get("year"),
            "province": data.get("province"),
            "district": data.get("district"),
            "funding_source": getattr(data.get("funding_source"), "code", None),
            "content_area": data.get("content_area"),
            "phase": data.get("phase"),
            "status": data.get("status"),
            "beneficiary_kind": getattr(data.get("beneficiary_kind"), "code", None),
        }
        if filters["year"] is not None:
            filters["year"] = int(filters["year"])
        return {
            "filters": filters,
            "as_of": data.get("as_of"),
            "order": data.get("order") or "code",
        }


class InspectionFilter(django_filters.FilterSet):
    """The inspections list: follow-up situation (overdue first of all), province, year."""

    follow_up = django_filters.ChoiceFilter(
        label=_("Follow-up"),
        method="filter_follow_up",
        choices=[
            ("overdue", _("Overdue follow-ups")),
            (FollowUpStatus.OPEN, _("Open")),
            (FollowUpStatus.DONE, _("Done")),
            (FollowUpStatus.NONE, _("No follow-up")),
        ],
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=_provinces, field_name="project__province"
    )
    year = YearFilter(label=_("Year"), field_name="planned_date__year")

    class Meta:
        model = Inspection
        fields: list[str] = []
        form = StyledForm

    def filter_follow_up(self, queryset: Any, name: str, value: str) -> Any:
        if value == "overdue":
            return queryset.overdue(timezone.localdate())
        return queryset.filter(follow_up_status=value)
