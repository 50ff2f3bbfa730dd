"""Report figures: each plan's money on a date, and projects counted by phase; and the report
document itself (``/reports/document``): its text, annex rows, totals and warnings, built by
the same builder as the report pages and ``manage.py report``, under the same period rule
(``reports.periods.check_period``)."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from annotated_types import MaxLen
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from khuyencong.api.errors import ERROR_RESPONSES, ApiRefusal
from khuyencong.api.fields import Id, Year
from khuyencong.api.plans import FiguresOut, figures_out
from khuyencong.api.reference import require
from khuyencong.places.models import AdminUnit
from khuyencong.projects.plan_selectors import plan_figures_many, plan_list
from khuyencong.projects.selectors import Phase, phase_counts, project_list, state_of
from khuyencong.reports import render
from khuyencong.reports.builder import ReportRefused, build_report
from khuyencong.reports.compose import compose
from khuyencong.reports.edits import starting_edits
from khuyencong.reports.periods import PeriodRefused, check_period

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


class DocumentQuery(Schema):
    province: Id | None = None  # empty: the whole country (national users)
    year: Year
    period: Annotated[str, MaxLen(2)]  # Q1…Q4, H1, 9M, Y; D: to the date ``as_of``
    as_of: datetime.date | None = None  # default: the period's last day
    issued_on: datetime.date | None = None  # default: the period's last day (never today)


class SectionOut(Schema):
    source: str
    label: str
    project_count: int
    total_budget: int
    total_disbursed: int


class AnnexRowOut(Schema):
    number: int
    source: str
    title: str
    beneficiary: str
    place: str
    content_area: str
    budget_national: int | None
    budget_local: int | None
    budget_counterpart: int | None
    budget_other: int | None
    disbursed: int | None
    status: str
    reference: str


class AnnexTotalsOut(Schema):
    count: int
    budget_national: int
    budget_local: int
    budget_counterpart: int
    budget_other: int
    disbursed: int


class DocumentOut(Schema):
    title: str
    scope: str
    year: int
    period: str
    period_label: str
    period_start: datetime.date
    period_end: datetime.date
    as_of: datetime.date
    issued_on: datetime.date
    warnings: list[str]
    paragraphs: list[str]
    sections: list[SectionOut]
    annex: list[AnnexRowOut]
    annex_totals: AnnexTotalsOut


def _budgets(amounts: tuple) -> dict:
    names = ("budget_national", "budget_local", "budget_counterpart", "budget_other")
    return dict(zip(names, amounts, strict=True))


@router.get(
    "/reports/document",
    response={200: DocumentOut, **ERROR_RESPONSES},
    summary="A report's document: text, annex of projects, totals and warnings",
)
def document(request: HttpRequest, query: Query[DocumentQuery]) -> dict:
    require(request, "reports.view")
    try:
        period = check_period(query.period, query.year, query.as_of)
    except PeriodRefused as refused:
        raise ApiRefusal(400, refused.message, loc=["query", refused.field]) from None
    province = None
    if query.province is not None:
        province = get_object_or_404(AdminUnit, pk=query.province)
    try:
        data = build_report(
            user=request.user,
            province=province,
            year=query.year,
            period=period,
            as_of=query.as_of,
            issued_on=query.issued_on,
        )
    except ReportRefused as refused:
        raise ApiRefusal(403, refused.message, type="permission") from None
    data = starting_edits(data).apply(data)
    rows = render.annex_rows(data)
    totals = render.annex_totals(rows)
    return {
        "title": data.title,
        "scope": data.scope_label,
        "year": data.period.year,
        "period": data.period.kind,
        "period_label": data.period.label,
        "period_start": data.period.start,
        "period_end": data.period.end,
        "as_of": data.as_of,
        "issued_on": data.issued_on,
        "warnings": list(data.warnings),
        "paragraphs": [paragraph.text for paragraph in compose(data)],
        "sections": [
            {
                "source": section.source_code,
                "label": section.label,
                "project_count": section.project_count,
                "total_budget": section.total_budget,
                "total_disbursed": section.total_disbursed,
            }
            for section in data.sections
        ],
        "annex": [
            {
                "number": row.number,
                "source": row.source,
                "title": row.title,
                "beneficiary": row.beneficiary,
                "place": row.place,
                "content_area": row.content_area,
                **_budgets(row.budgets),
                "disbursed": row.disbursed,
                "status": row.status,
                "reference": row.reference,
            }
            for row in rows
        ],
        "annex_totals": {
            "count": totals.count,
            **_budgets(totals.budgets),
            "disbursed": totals.disbursed,
        },
    }
