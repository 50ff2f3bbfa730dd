"""Where next year's plan stands on the report date: the one switch point to registrations.

``next_year_plan(province, year, as_of)`` is the ONLY function the report builder calls for
part three's closing paragraph. When the ``registrations`` app is installed it answers with
``registrations.selectors.next_year_plan_status(province, year, "national", as_of=…)``
(registrations received for ``year``, and how many meet the national fund's requirements).
Until then it derives the same outcome from the projects already filed in ``year``'s plans:
registered projects count as registrations received, national-fund projects that passed
appraisal as qualified. No project at all gives "no registrations received".
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps

from khuyencong.places.models import AdminUnit
from khuyencong.projects.models import Project
from khuyencong.projects.selectors import annotate_as_of
from khuyencong.registrations.selectors import NextYearPlanStatus, next_year_plan_status
from khuyencong.reports.data import NextYearPlan

REGISTRATIONS_APP = "khuyencong.registrations"
QUALIFIED = frozenset(
    {"appraised", "approved", "assigned", "contracted", "in_progress", "accepted", "settled"}
)


def next_year_plan(province: Any, year: int, as_of: datetime.date) -> NextYearPlan | None:
    """Next year's plan status for a province report (None for a national report: the
    paragraph is about one province's registrations)."""
    if province is None:
        return None
    if apps.is_installed(REGISTRATIONS_APP):
        status = next_year_plan_status(province, year, "national", as_of=as_of)
        return plan_from_status(status)
    return _from_plans(province, year, as_of)


def plan_from_status(status: NextYearPlanStatus) -> NextYearPlan:
    """The report's ``NextYearPlan`` from the registrations' status (national fund: its
    outcome is the report's)."""
    national = status.source_code == "national"
    return NextYearPlan(
        year=status.year,
        registrations_received=status.registrations_received,
        registration_count=status.registration_count or None,
        national_qualified=status.qualified_count if national else 0,
        national_budget=status.qualified_budget if national else 0,
    )


def _from_plans(province: Any, year: int, as_of: datetime.date) -> NextYearPlan:
    family = AdminUnit.province_family_ids(province.pk)
    rows = annotate_as_of(
        Project.objects.active()
        .filter(plan__year=year, province_id__in=family)
        .select_related("plan__funding_source"),
        as_of,
    ).filter(as_of_status__isnull=False)
    received = 0
    qualified = 0
    budget = 0
    for row in rows:
        received += 1
        if row.plan.funding_source.code == "national" and row.as_of_status in QUALIFIED:
            qualified += 1
            budget += row.as_of_budget_national
    return NextYearPlan(
        year=year,
        registrations_received=received > 0,
        registration_count=received or None,
        national_qualified=qualified,
        national_budget=budget,
    )
