"""Plan figures on any date: ceiling, allocated, disbursed, settled and free money.

Always consistent, integer VND: ``allocated`` is the sum of the projects' allocated money
(``lifecycle.allocated_amount``: plan budget while running, settlement value once settled,
only what was disbursed once stopped, nothing before approval), ``free = ceiling − allocated``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum

from khuyencong.accounts import roles
from khuyencong.core.search import search
from khuyencong.plans.models import Plan, PlanVersion
from khuyencong.projects.models import PlanTally, Project
from khuyencong.projects.selectors import FAR_FUTURE, annotate_as_of


@dataclass(frozen=True)
class PlanFigures:
    day: datetime.date
    ceiling: int
    allocated: int
    disbursed: int
    settled: int
    project_count: int

    @property
    def free(self) -> int:
        return self.ceiling - self.allocated


def _ceilings(plan_ids: list[int], day: datetime.date) -> dict[int, int]:
    ceilings: dict[int, int] = {}
    versions = (
        PlanVersion.objects.filter(plan_id__in=plan_ids, effective_date__lte=day)
        .order_by("plan_id", "effective_date", "number")
        .values_list("plan_id", "ceiling")
    )
    for plan_id, ceiling in versions:
        ceilings[plan_id] = ceiling  # the latest effective wins
    return ceilings


def plan_figures_many(
    plans: Iterable[Plan], as_of: datetime.date | None = None
) -> dict[int, PlanFigures]:
    """Figures of several plans in two queries, whatever their number. For every record
    (``as_of`` None) the projects' sums are the plans' tallies (``projects.PlanTally``, kept
    with each write); on a date they are summed over the projects."""
    day = as_of or FAR_FUTURE
    plan_ids = [plan.pk for plan in plans]
    ceilings = _ceilings(plan_ids, day)
    sums = tallied_sums(plan_ids) if as_of is None else project_sums(plan_ids, as_of)
    return {
        plan_id: PlanFigures(
            day=day,
            ceiling=ceilings.get(plan_id, 0),
            allocated=sums[plan_id][0],
            disbursed=sums[plan_id][1],
            settled=sums[plan_id][2],
            project_count=sums[plan_id][3],
        )
        for plan_id in plan_ids
    }


Sums = dict[int, list[int]]  # plan id: [allocated, disbursed, settled, project count]


def project_sums(plan_ids: list[int], as_of: datetime.date | None) -> Sums:
    """The plans' projects on ``as_of`` summed in the database, on their stored state
    (``allocated``: ``lifecycle.allocated_amount``, written with each record)."""
    sums: Sums = defaultdict(lambda: [0, 0, 0, 0])
    rows = (
        annotate_as_of(Project.objects.active().filter(plan_id__in=plan_ids), as_of)
        .filter(as_of_phase__isnull=False)
        .order_by()
        .values("plan_id")
        .annotate(
            allocated_sum=Sum("as_of_allocated"),
            disbursed_sum=Sum("as_of_disbursed"),
            settled_sum=Sum("as_of_settled"),
            count=Count("pk"),
        )
    )
    for row in rows:
        sums[row["plan_id"]] = [
            row["allocated_sum"] or 0,
            row["disbursed_sum"] or 0,
            row["settled_sum"] or 0,
            row["count"],
        ]
    return sums


def tallied_sums(plan_ids: list[int]) -> Sums:
    """``project_sums(plan_ids, None)`` read from the plans' tallies (one row per province)."""
    sums: Sums = defaultdict(lambda: [0, 0, 0, 0])
    rows = (
        PlanTally.objects.filter(plan_id__in=plan_ids)
        .order_by()
        .values("plan_id")
        .annotate(Sum("allocated"), Sum("disbursed"), Sum("settled"), Sum("projects"))
    )
    for row in rows:
        sums[row["plan_id"]] = [
            row["allocated__sum"],
            row["disbursed__sum"],
            row["settled__sum"],
            row["projects__sum"],
        ]
    return sums


def plan_figures(plan: Plan, as_of: datetime.date | None = None) -> PlanFigures:
    return plan_figures_many([plan], as_of)[plan.pk]


def plan_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet:
    """Plans the user may see. Filters: year (inside the plan's period), province (ids),
    funding_source (code), kind, q."""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    queryset = roles.scope_queryset(
        user, Plan.objects.active(), district=None, beneficiary=None
    ).select_related("province", "funding_source")
    if "year" in filters:
        queryset = queryset.for_year(filters["year"])
    if "province" in filters:
        value = filters["province"]
        ids = value if isinstance(value, list | tuple | set) else [value]
        queryset = queryset.filter(province_id__in=[getattr(v, "pk", v) for v in ids])
    if "funding_source" in filters:
        queryset = queryset.filter(funding_source__code=filters["funding_source"])
    if "kind" in filters:
        queryset = queryset.filter(kind=filters["kind"])
    if "q" in filters:
        queryset = search(queryset, filters["q"])
    return queryset.order_by("-year", "province__name", "funding_source__sort_order")


@dataclass(frozen=True)
class AllocationRow:
    """A batch of a national plan with the count and national-fund money of its projects."""

    allocation: Any
    project_count: int
    project_money: int


def allocation_rows(plan: Plan) -> list[AllocationRow]:
    """The plan's batches (đợt) in order, each with its projects' count and money: two
    queries whatever the number of batches."""
    allocations = list(plan.allocations.active().order_by("batch"))
    sums = {
        row["allocation_id"]: (row["count"], row["money"] or 0)
        for row in Project.objects.active()
        .filter(allocation__in=[a.pk for a in allocations])
        .order_by()
        .values("allocation_id")
        .annotate(count=Count("pk"), money=Sum("budget_national"))
    }
    return [
        AllocationRow(allocation, *sums.get(allocation.pk, (0, 0))) for allocation in allocations
    ]
