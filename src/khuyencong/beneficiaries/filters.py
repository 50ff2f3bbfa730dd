"""Filters of the beneficiary list: kind, province, district, industry, archived."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.beneficiaries.scoping import districts_in_scope, provinces_in_scope
from khuyencong.catalog.filters import ArchivedFilterSet
from khuyencong.catalog.models import BeneficiaryKind, Industry
from khuyencong.core.bounds import parse_id
from khuyencong.places.models import AdminUnit, Era


class UnitChoiceField(forms.ModelChoiceField):
    """Unit name with its era (names repeat across the 2025 reform), no parent walk."""

    def label_from_instance(self, unit: AdminUnit) -> str:
        if unit.era == Era.LEGACY:
            return str(_("%(name)s (before 7/2025)") % {"name": unit.name})
        return unit.name


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


def _provinces(request: HttpRequest | None) -> QuerySet[AdminUnit]:
    if request is None:
        return AdminUnit.objects.none()
    return provinces_in_scope(request.user).order_by("era", "name")


def _districts(request: HttpRequest | None) -> QuerySet[AdminUnit]:
    if request is None:
        return AdminUnit.objects.none()
    districts = districts_in_scope(request.user)
    province = parse_id(request.GET.get("province"))
    if province is not None:
        districts = districts.filter(province_id=province)
    return districts.order_by("era", "name")


class BeneficiaryFilterSet(ArchivedFilterSet):
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"), queryset=BeneficiaryKind.objects.all(), empty_label=_("All")
    )
    province = UnitFilter(label=_("Province"), queryset=_provinces, empty_label=_("All"))
    district = UnitFilter(label=_("District"), queryset=_districts, empty_label=_("All"))
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), empty_label=_("All")
    )

    class Meta:
        model = Beneficiary
        fields: list[str] = []
