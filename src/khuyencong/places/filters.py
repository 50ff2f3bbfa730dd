"""The browse page's filters."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import StyledForm
from khuyencong.places.models import AdminUnit, Era, Level


class ProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        # Some names exist in both eras (Tỉnh Thái Nguyên): say which one.
        return f"{obj.name} ({obj.era_badge})"


class ProvinceFilter(django_filters.ModelChoiceFilter):
    field_class = ProvinceChoiceField


class AdminUnitFilter(django_filters.FilterSet):
    era = django_filters.ChoiceFilter(label=_("Period"), choices=Era.choices, empty_label=_("All"))
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Level.choices, empty_label=_("All")
    )
    province = ProvinceFilter(
        label=_("Province"),
        queryset=AdminUnit.objects.provinces().order_by("era", "short_key"),
        method="filter_province",
        empty_label=_("All"),
    )
    on = django_filters.DateFilter(label=_("In force on"), method="filter_on")

    class Meta:
        model = AdminUnit
        fields = ["era", "level", "province", "on"]
        form = StyledForm

    def filter_province(self, queryset, name, value):
        return queryset.filter(province=value) if value else queryset

    def filter_on(self, queryset, name, value):
        return queryset.valid_on(value) if value else queryset
