"""Plan pages (read-only): the list and a plan with its figures and projects as of a date."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from khuyencong.catalog.models import FundingSource
from khuyencong.core.forms import StyledForm
from khuyencong.core.views import FilteredListView, ScopedDetailView
from khuyencong.plans.models import Plan
from khuyencong.plans.selectors import plan_figures, plan_figures_many
from khuyencong.projects.forms import AsOfForm
from khuyencong.projects.selectors import Phase, phase_counts, plan_states
from khuyencong.projects.views import as_of_from
from khuyencong.spreadsheets.columns import PLAN_EXPORT

PLAN_SCOPE = {"province": "province", "district": None, "beneficiary": None}


class PlanFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    funding_source = django_filters.ModelChoiceFilter(
        label=_("Funding source"), queryset=FundingSource.objects.active(), to_field_name="code"
    )

    class Meta:
        model = Plan
        fields: list[str] = []
        form = StyledForm


class PlanListView(FilteredListView):
    model = Plan
    permission = "plans.view"
    filterset_class = PlanFilter
    scope_lookups = PLAN_SCOPE
    template_name = "plans/plan_list.html"
    export_columns = PLAN_EXPORT
    export_filename = "ke-hoach"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .active()
            .select_related("province", "funding_source")
            .order_by("-year", "province__name", "funding_source__sort_order")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plans = list(context["object_list"])
        figures = plan_figures_many(plans)
        context["rows"] = [(plan, figures[plan.pk]) for plan in plans]
        return context


class PlanDetailView(ScopedDetailView):
    model = Plan
    permission = "plans.view"
    scope_lookups = PLAN_SCOPE
    template_name = "plans/plan_detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().active().select_related("province", "funding_source")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        as_of = as_of_from(self.request)
        states = plan_states(self.object, as_of)
        counts = phase_counts(state for _project, state in states)
        context.update(
            as_of=as_of,
            as_of_form=AsOfForm(self.request.GET or None),
            figures=plan_figures(self.object, as_of),
            versions=self.object.versions.order_by("number"),
            rows=states,
            phase_counts=[(Phase.LABELS[p], counts[p]) for p in Phase.LABELS if counts.get(p)],
        )
        return context
