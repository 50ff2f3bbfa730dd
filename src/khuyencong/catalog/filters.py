"""List filters for the catalog pages, and the archived yes/no filter every list shares."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from khuyencong.catalog.models import ContentArea
from khuyencong.core.forms import StyledFormMixin

YES_NO = [("no", _("No")), ("yes", _("Yes"))]


class ArchivedFilterSet(django_filters.FilterSet):
    """A filter set whose lists show active records unless ``archived=yes`` is asked for.

    The set is always bound (an empty query means "archived: no"), so a page opened without
    parameters never lists archived records.
    """

    archived = django_filters.ChoiceFilter(
        label=_("Archived"), choices=YES_NO, empty_label=None, method="keep"
    )

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if data.get("archived") not in {"yes", "no"}:
            data["archived"] = "no"
        super().__init__(data, *args, **kwargs)

    def get_form_class(self) -> type:
        """The filter form in the one form style (Bootstrap classes, cleaned text)."""
        form_class = super().get_form_class()
        return type(form_class.__name__, (StyledFormMixin, form_class), {})

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # applied in filter_queryset, whatever the other fields say

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("archived") == "yes":
            return queryset.archived()
        return queryset.active()


class CatalogFilterSet(ArchivedFilterSet):
    confirmed = django_filters.ChoiceFilter(
        label=_("Confirmed"),
        choices=YES_NO,
        empty_label=_("All"),
        method="filter_confirmed",
    )

    def filter_confirmed(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(confirmed=value == "yes")


class ContentAreaFilterSet(CatalogFilterSet):
    parent = django_filters.ModelChoiceFilter(
        label=_("Group"),
        queryset=ContentArea.objects.filter(parent__isnull=True),
        empty_label=_("All"),
        method="filter_group",
    )

    class Meta:
        model = ContentArea
        fields: list[str] = []

    def filter_group(self, queryset: QuerySet, name: str, value: ContentArea) -> QuerySet:
        """A group's own row and its items."""
        return queryset.filter(Q(parent=value) | Q(pk=value.pk))


def catalog_filterset(model: type) -> type[CatalogFilterSet]:
    """The plain filter set (confirmed, archived) of a catalog model."""
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}FilterSet", (CatalogFilterSet,), {"Meta": meta})
