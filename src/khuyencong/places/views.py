"""Browse the administrative units, and the picker's search endpoint."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from khuyencong.core.bounds import parse_id
from khuyencong.core.search import search
from khuyencong.core.text import compact
from khuyencong.core.views import FilteredListView, PermissionMixin
from khuyencong.places.filters import AdminUnitFilter
from khuyencong.places.models import LEVEL_RANK, AdminUnit, Level
from khuyencong.places.queries import (
    SEARCH_LIMIT,
    best_matches_first,
    unit_search,
    unit_successions,
)


class AdminUnitListView(FilteredListView):
    model = AdminUnit
    permission = "places.view"
    filterset_class = AdminUnitFilter
    template_name = "places/adminunit_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[AdminUnit]:
        # Administrative units are reference data: every user allowed to see them sees all of
        # them, so this list skips the area scoping FilteredListView applies to records.
        queryset = ListView.get_queryset(self).with_path()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        queryset = self.filterset.qs if self.filterset.is_bound else queryset
        query = self.request.GET.get("q")
        if compact(query):
            return best_matches_first(search(queryset, query, self.search_field), query)
        return queryset.in_hierarchy_order()


class AdminUnitDetailView(PermissionMixin, DetailView):
    model = AdminUnit
    permission = "places.view"
    template_name = "places/adminunit_detail.html"
    context_object_name = "unit"

    def get_queryset(self) -> QuerySet[AdminUnit]:
        return AdminUnit.objects.with_path()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit: AdminUnit = self.object
        predecessors, successors = unit_successions(unit)
        context.update(
            ancestors=unit.ancestors,
            children=unit.children.annotate(level_rank=LEVEL_RANK).order_by("level_rank", "code"),
            predecessors=predecessors,
            successors=successors,
        )
        return context


class AdminUnitSearchView(PermissionMixin, View):
    """The picker's search: GET ?q=&level=&on=YYYY-MM-DD&province=<pk>&district=<pk> -> up
    to 20 options (the form that draws the picker gives the date and the user's area)."""

    permission = "places.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()[:100]
        level = request.GET.get("level") or None
        context: dict[str, Any] = {"query": query, "units": [], "more": False}
        try:
            on = _parse_date(request.GET.get("on"))
            province_id = _parse_int(request.GET.get("province"))
            district_id = _parse_int(request.GET.get("district"))
        except ValueError:
            context["error"] = _("The search was given an invalid date, province or district.")
            return render(request, "places/_search_results.html", context)
        if level not in (None, *Level.values):
            context["error"] = _("Unknown administrative level.")
            return render(request, "places/_search_results.html", context)
        units = list(
            unit_search(
                query, level=level, on=on, province_id=province_id, district_id=district_id
            )[: SEARCH_LIMIT + 1]
        )
        context.update(units=units[:SEARCH_LIMIT], more=len(units) > SEARCH_LIMIT)
        return render(request, "places/_search_results.html", context)


def _parse_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _parse_int(value: str | None) -> int | None:
    if not value:
        return None
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number
