"""Filters of the registration list: year, funding source, status, content area, archived."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.catalog.filters import ArchivedFilterSet
from khuyencong.catalog.models import ContentArea, FundingSource
from khuyencong.registrations.models import Registration, Status


def _years() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year + 2, 2012, -1)]


class RegistrationFilterSet(ArchivedFilterSet):
    target_year = django_filters.ChoiceFilter(
        label=_("Plan year"), choices=_years, empty_label=_("All")
    )
    funding_source = django_filters.ModelChoiceFilter(
        label=_("Funding source"), queryset=FundingSource.objects.all(), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    content_area = django_filters.ModelChoiceFilter(
        label=_("Content area"),
        queryset=ContentArea.objects.filter(parent__isnull=False),
        empty_label=_("All"),
    )

    class Meta:
        model = Registration
        fields: list[str] = []
