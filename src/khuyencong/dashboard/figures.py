"""Dashboard figures for a user's scope, aggregated in the database.

Every figure is one grouped query over the projects with their state on the as-of date
(``projects.selectors.counted_projects``): the phase of a project and the money it holds are
the columns of its state row (``projects.StatePeriod``), written from ``lifecycle.phase_of``
and ``lifecycle.allocated_amount`` with each record, so the page runs a fixed number of
queries whatever the number of projects and SQL never re-implements a rule. The
"by plan year" chart spans every year: for every record it sums the plan tallies
(``projects.PlanTally``, kept with each write) instead of grouping every project; so do the
money by funding source, the provinces' bars and the national map's circles, whose grain (a
plan's projects in a province) the tallies keep. What the tallies do not keep (the phase, the
content group) is grouped over the projects.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from khuyencong.accounts import roles
from khuyencong.catalog.models import FundingSource
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan, PlanVersion, covering
from khuyencong.projects.models import PlanTally, Project
from khuyencong.projects.selectors import FAR_FUTURE, Phase, counted_projects

MAX_YEARS = 15


@dataclass(frozen=True)
class Scope:
    user: Any
    year: int | None
    province: Any = None  # an AdminUnit (national users may narrow to one province)
    as_of: datetime.date | None = None

    @cached_property
    def province_ids(self) -> frozenset[int] | None:
        """The chosen province and the legacy provinces merged into it (read once a page:
        every figure filters on them)."""
        if self.province is None:
            return None

        return frozenset(AdminUnit.province_family_ids(self.province.pk))

    @cached_property
    def projects(self) -> QuerySet:
        """``scoped_projects(self)``, built once a page: each figure groups its own copy
        (building the state, phase and money expressions is not free, five figures a page)."""
        return _scoped_projects(self, all_years=False)


def scoped_projects(scope: Scope, *, all_years: bool = False) -> QuerySet:
    """Projects of plans the user may see (the year's unless ``all_years``), with their state
    on the as-of date, ``phase`` and ``allocated`` columns; unregistered ones left out."""
    return _scoped_projects(scope, all_years=True) if all_years else scope.projects.all()


def _scoped_projects(scope: Scope, *, all_years: bool) -> QuerySet:
    queryset = roles.scope_queryset(scope.user, Project.objects.all())
    if scope.province_ids is not None:
        queryset = queryset.filter(province_id__in=scope.province_ids)
    if scope.year is not None and not all_years:
        # the plans in force in the year: a multi-year plan's projects in each of its years
        queryset = queryset.filter(covering(scope.year, "plan__"))
    return counted_projects(queryset, scope.as_of)


def plan_years(user: Any, province: Any = None) -> list[int]:
    """The years of the plans in the user's scope, newest first; for a district officer (plans
    are provincial) the years of the plans their district's projects belong to."""
    plans = roles.scope_queryset(user, Plan.objects.active(), district=None, beneficiary=None)
    projects = roles.scope_queryset(user, Project.objects.active().filter(plan__isnull=False))
    if province is not None:
        family = AdminUnit.province_family_ids(province.pk)
        plans = plans.filter(province_id__in=family)
        projects = projects.filter(plan__province_id__in=family)
    # distinct years, without the plans' default ordering (sorting every plan by province
    # and source names only to find the years is slow at national scale on PostgreSQL)
    periods = set(plans.order_by().values_list("year", "end_year").distinct())
    if not periods:
        periods = set(projects.values_list("plan__year", "plan__end_year").distinct())
    # every year of a multi-year plan's period is a year one may look at
    years = {year for first, last in periods for year in range(first, last + 1)}
    return sorted(years, reverse=True)


# --------------------------------------------------------------------------------------------
# Key figures


@dataclass(frozen=True)
class PhaseCount:
    phase: str
    label: str
    count: int


def phase_counts(scope: Scope) -> list[PhaseCount]:
    rows = dict(scoped_projects(scope).order_by().values_list("phase").annotate(n=Count("pk")))
    return [
        PhaseCount(phase, str(label), rows.get(phase, 0))
        for phase, label in Phase.LABELS.items()
        if rows.get(phase, 0)
    ]


@dataclass(frozen=True)
class SourceMoney:
    code: str
    name: str
    short_name: str
    ceiling: int
    allocated: int
    disbursed: int
    projects: int

    @property
    def rate(self) -> Decimal | None:
        """Disbursed over allocated, in percent (one decimal); None with nothing allocated."""
        if not self.allocated:
            return None
        return (Decimal(self.disbursed) * 100 / self.allocated).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def _plans(scope: Scope) -> QuerySet:
    plans = roles.scope_queryset(scope.user, Plan.objects.active(), district=None, beneficiary=None)
    if scope.province_ids is not None:
        plans = plans.filter(province_id__in=scope.province_ids)
    return plans


def money_by_source(scope: Scope) -> list[SourceMoney]:
    """Per funding source: the plans' ceilings in force, the money allocated to projects, the
    money disbursed (two grouped queries)."""
    day = scope.as_of or FAR_FUTURE
    latest = PlanVersion.objects.filter(plan=OuterRef("pk"), effective_date__lte=day).order_by(
        "-effective_date", "-number"
    )
    plans = _plans(scope)
    if scope.year is not None:
        plans = plans.filter(covering(scope.year))
    ceilings = dict(
        plans.annotate(
            ceiling=Coalesce(
                Subquery(latest.values("ceiling")[:1], output_field=BigIntegerField()), Value(0)
            )
        )
        .order_by()
        .values_list("funding_source_id")
        .annotate(total=Sum("ceiling"))
    )
    tallies = _year_tallies(scope)
    if tallies is not None:
        rows = tallies.values("plan__funding_source_id").annotate(
            allocated=Sum("allocated"), disbursed=Sum("disbursed"), projects=Sum("projects")
        )
    else:
        rows = (
            scoped_projects(scope)
            .order_by()
            .values("plan__funding_source_id")
            .annotate(
                allocated=Sum("allocated"), disbursed=Sum("as_of_disbursed"), projects=Count("pk")
            )
        )
    projects = {row["plan__funding_source_id"]: row for row in rows}
    ids = set(ceilings) | set(projects)
    found = []
    for source in FundingSource.objects.filter(pk__in=ids).order_by("sort_order", "code"):
        row = projects.get(source.pk, {})
        found.append(
            SourceMoney(
                code=source.code,
                name=source.name,
                short_name=source.short_name or source.name,
                ceiling=ceilings.get(source.pk) or 0,
                allocated=row.get("allocated") or 0,
                disbursed=row.get("disbursed") or 0,
                projects=row.get("projects") or 0,
            )
        )
    return found


# --------------------------------------------------------------------------------------------
# Breakdowns for the charts


@dataclass(frozen=True)
class Bucket:
    key: Any  # the filter value for the project list (a year, a pk, a phase)
    label: str
    count: int
    allocated: int
    disbursed: int


def _buckets(rows: QuerySet, key: str, label: str) -> list[Bucket]:
    return [
        Bucket(
            key=row[key],
            label=row[label] if row[label] is not None else "",
            count=row["n"],
            allocated=row["allocated_total"] or 0,
            disbursed=row["disbursed_total"] or 0,
        )
        for row in rows
    ]


def _grouped(queryset: QuerySet, *fields: str) -> QuerySet:
    return (
        queryset.order_by()
        .values(*fields)
        .annotate(
            n=Count("pk"), allocated_total=Sum("allocated"), disbursed_total=Sum("as_of_disbursed")
        )
    )


def _tallies(scope: Scope) -> QuerySet | None:
    """The plan tallies (``projects.PlanTally``) of the scope, when they can answer: every
    record (no as-of date), for a user who sees whole provinces (or the whole country)."""
    role = roles.role_of(scope.user)
    if scope.as_of is not None or role is None or role == roles.Role.BENEFICIARY:
        return None
    if roles.is_district_scoped(scope.user):
        return None
    tallies = roles.scope_queryset(scope.user, PlanTally.objects.all(), district=None)
    if scope.province_ids is not None:
        tallies = tallies.filter(province_id__in=scope.province_ids)
    return tallies


def _year_tallies(scope: Scope, *, all_years: bool = False) -> QuerySet | None:
    """The scope's tallies that count a project, of the year (every year without one, or with
    ``all_years``), when the tallies answer (``_tallies``); the caller groups them."""
    tallies = _tallies(scope)
    if tallies is None:
        return None
    if scope.year is not None and not all_years:
        tallies = tallies.filter(covering(scope.year, "plan__"))
    return tallies.filter(projects__gt=0).order_by()


def _grouped_tallies(tallies: QuerySet, *fields: str) -> QuerySet:
    """``_grouped`` for the plan tallies: the same columns, summed from the tallies."""
    return tallies.values(*fields).annotate(
        n=Sum("projects"), allocated_total=Sum("allocated"), disbursed_total=Sum("disbursed")
    )


def by_year(scope: Scope) -> list[Bucket]:
    """By plan year, over every year: read from the plan tallies where they answer (the same
    sums, kept with each write), else grouped over the projects."""
    tallies = _year_tallies(scope, all_years=True)
    if tallies is not None:
        rows = _grouped_tallies(tallies, "plan__year").order_by("plan__year")
    else:
        rows = _grouped(scoped_projects(scope, all_years=True), "plan__year").order_by("plan__year")
    buckets = [
        Bucket(
            row["plan__year"],
            str(row["plan__year"]),
            row["n"],
            row["allocated_total"] or 0,
            row["disbursed_total"] or 0,
        )
        for row in rows
    ]
    return buckets[-MAX_YEARS:]


def by_content_group(scope: Scope) -> list[Bucket]:
    """By content group (Decree 45 Art. 4): the project's area's parent, or the area itself."""
    queryset = scoped_projects(scope).annotate(
        group_id=Coalesce(F("content_area__parent_id"), F("content_area_id")),
        group_name=Coalesce(F("content_area__parent__name"), F("content_area__name")),
        group_order=Coalesce(F("content_area__parent__sort_order"), F("content_area__sort_order")),
    )
    rows = _grouped(queryset, "group_id", "group_name", "group_order").order_by("group_order")
    return _buckets(rows, "group_id", "group_name")


def by_district(scope: Scope) -> list[Bucket]:
    """By district (province-wide projects under their province's name)."""
    rows = _grouped(scoped_projects(scope), "district_id", "district__name", "province__name")
    buckets = [
        Bucket(
            key=row["district_id"],
            label=row["district__name"] or row["province__name"],
            count=row["n"],
            allocated=row["allocated_total"] or 0,
            disbursed=row["disbursed_total"] or 0,
        )
        for row in rows
    ]
    return sorted(buckets, key=lambda bucket: (-bucket.count, bucket.label))


def by_province(scope: Scope) -> list[Bucket]:
    tallies = _year_tallies(scope)
    if tallies is not None:
        rows = _grouped_tallies(tallies, "province_id", "province__name")
    else:
        rows = _grouped(scoped_projects(scope), "province_id", "province__name")
    return sorted(
        _buckets(rows, "province_id", "province__name"), key=lambda b: (-b.count, b.label)
    )


@dataclass(frozen=True)
class MapPoint:
    place_id: int
    name: str
    latitude: float
    longitude: float
    count: int
    district_id: int | None
    province_id: int


def map_points(scope: Scope, *, by_province: bool = False) -> list[MapPoint]:
    """Projects counted by their place (commune, district or province) with its coordinates;
    ``by_province`` (the national view): by their province, one point each instead of
    thousands of communes (summed from the plan tallies where they answer)."""
    unit = "province" if by_province else "place"
    tallies = _year_tallies(scope) if by_province else None
    counted = Sum("projects") if tallies is not None else Count("pk")
    rows = (
        (tallies if tallies is not None else scoped_projects(scope))
        .filter(**{f"{unit}__latitude__isnull": False, f"{unit}__longitude__isnull": False})
        .order_by()
        .values(
            f"{unit}_id",
            f"{unit}__name",
            f"{unit}__latitude",
            f"{unit}__longitude",
            *(() if by_province else ("district_id",)),
            "province_id",
        )
        .annotate(n=counted)
    )
    return [
        MapPoint(
            place_id=row[f"{unit}_id"],
            name=row[f"{unit}__name"],
            latitude=row[f"{unit}__latitude"],
            longitude=row[f"{unit}__longitude"],
            count=row["n"],
            district_id=None if by_province else row["district_id"],
            province_id=row["province_id"],
        )
        for row in rows
    ]
