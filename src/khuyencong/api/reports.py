"""Report figures: each plan's money on a date, and projects counted by phase."""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from khuyencong.api.errors import ERROR_RESPONSES
from khuyencong.api.fields import Id, Year
from khuyencong.api.plans import FiguresOut, figures_out
from khuyencong.api.reference import require
from khuyencong.projects.plan_selectors import plan_figures_many, plan_list
from khuyencong.projects.selectors import Phase, phase_counts, project_list, state_of

router = Router(tags=["reports"])


class FigureFilters(Schema):
    year: Year | None = None
    province: Id | None = None
    funding_source: Literal["national", "local", "other", ""] = ""
    as_of: datetime.date | None = None


class PlanFiguresOut(Schema):
    plan_id: int
    title: str
    province_id: int
    year: int
    funding_source: str
    figures: FiguresOut


class PhaseCountOut(Schema):
    phase: str
    label: str
    count: int


class FiguresReportOut(Schema):
    as_of: datetime.date | None
    plans: list[PlanFiguresOut]
    phases: list[PhaseCountOut]


@router.get(
    "/reports/figures",
    response={200: FiguresReportOut, **ERROR_RESPONSES},
    summary="Report figures on a date: each plan's money, projects by phase",
)
def figures(request: HttpRequest, filters: Query[FigureFilters]) -> dict:
    require(request, "plans.view")
    selected = {
        "year": filters.year,
        "province": filters.province,
        "funding_source": filters.funding_source,
    }
    plans = list(plan_list(user=request.user, filters=selected)[:1000])
    money = plan_figures_many(plans, filters.as_of)
    projects = project_list(
        user=request.user,
        filters={k: v for k, v in selected.items() if v},
        as_of=filters.as_of,
    )
    counts = phase_counts(state_of(row, filters.as_of) for row in projects.iterator())
    return {
        "as_of": filters.as_of,
        "plans": [
            {
                "plan_id": plan.pk,
                "title": plan.title,
                "province_id": plan.province_id,
                "year": plan.year,
                "funding_source": plan.funding_source.code,
                "figures": figures_out(money[plan.pk]),
            }
            for plan in plans
        ],
        "phases": [
            {"phase": phase, "label": str(label), "count": counts.get(phase, 0)}
            for phase, label in Phase.LABELS.items()
        ],
    }
