"""Plans: list and read with their money figures on any date, their decisions and (national
plans) their allocation batches; create, edit, submit, approve, adjust, record a batch —
through projects/plan_services.py, as the UI does."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status

from khuyencong.api.errors import ERROR_RESPONSES, WRITE_RESPONSES, ApiRefusal
from khuyencong.api.fields import Id, Money, Page, PageParams, Text, Year, paginate
from khuyencong.api.idempotency import IDEMPOTENT_RESPONSES, OPENAPI, idempotent
from khuyencong.api.reference import require
from khuyencong.catalog.models import FundingSource
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import AllocationDocument, Plan, PlanKind
from khuyencong.projects import plan_services as services
from khuyencong.projects.plan_selectors import allocation_rows, plan_figures_many, plan_list

router = Router(tags=["plans"])


class FiguresOut(Schema):
    day: datetime.date
    ceiling: int
    allocated: int
    disbursed: int
    settled: int
    free: int
    project_count: int


class PlanVersionOut(Schema):
    number: int
    kind: Literal["original", "adjustment", "supplement"]
    decision_number: str
    decision_date: datetime.date | None
    issuer: str
    effective_date: datetime.date
    ceiling: int
    reason: str


class AllocationOut(Schema):
    """A batch (đợt) of a national plan and the count and national-fund money of its
    projects."""

    id: int
    batch: int
    document_kind: Literal["letter", "decision"]
    document_number: str
    document_date: datetime.date
    issuer: str
    amount: int
    notes: str
    project_count: int
    project_money: int


class PlanOut(Schema):
    id: int
    version: int
    province_id: int
    year: int
    end_year: int
    kind: Literal["main", "supplementary"]
    funding_source: str
    title: str
    approving_authority: str
    decision_number: str
    decision_date: datetime.date | None
    status: str
    notes: str
    figures: FiguresOut
    versions: list[PlanVersionOut] | None = None
    allocations: list[AllocationOut] | None = None


def figures_out(figures: Any) -> dict[str, Any]:
    return {
        "day": figures.day,
        "ceiling": figures.ceiling,
        "allocated": figures.allocated,
        "disbursed": figures.disbursed,
        "settled": figures.settled,
        "free": figures.free,
        "project_count": figures.project_count,
    }


def allocations_out(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "id": row.allocation.pk,
            "batch": row.allocation.batch,
            "document_kind": row.allocation.document_kind,
            "document_number": row.allocation.document_number,
            "document_date": row.allocation.document_date,
            "issuer": row.allocation.issuer,
            "amount": row.allocation.amount,
            "notes": row.allocation.notes,
            "project_count": row.project_count,
            "project_money": row.project_money,
        }
        for row in allocation_rows(plan)
    ]


def plan_out(plan: Plan, figures: Any, *, versions: bool = False) -> dict[str, Any]:
    """``versions``: with the plan's decisions and its allocation batches (one plan's read)."""
    data = {
        "id": plan.pk,
        "version": plan.version,
        "province_id": plan.province_id,
        "year": plan.year,
        "end_year": plan.end_year,
        "kind": plan.kind,
        "funding_source": plan.funding_source.code,
        "title": plan.title,
        "approving_authority": plan.approving_authority,
        "decision_number": plan.decision_number,
        "decision_date": plan.decision_date,
        "status": plan.status,
        "notes": plan.notes,
        "figures": figures_out(figures),
    }
    if versions:
        data["versions"] = [
            {
                "number": v.number,
                "kind": v.kind,
                "decision_number": v.decision_number,
                "decision_date": v.decision_date,
                "issuer": v.issuer,
                "effective_date": v.effective_date,
                "ceiling": v.ceiling,
                "reason": v.reason,
            }
            for v in plan.versions.order_by("number")
        ]
        data["allocations"] = allocations_out(plan)
    return data


class PlanFilters(PageParams):
    q: Text(100) = ""  # type: ignore[valid-type]
    year: Year | None = None
    province: Id | None = None
    funding_source: Literal["national", "local", "other", ""] = ""
    kind: Literal["main", "supplementary", ""] = ""
    as_of: datetime.date | None = None


@router.get(
    "/plans",
    response={200: Page[PlanOut], **ERROR_RESPONSES},
    summary="List plans with their figures on a date (as_of; default: every record)",
)
def list_plans(request: HttpRequest, filters: Query[PlanFilters]) -> dict:
    require(request, "plans.view")
    rows = plan_list(
        user=request.user,
        filters={
            "year": filters.year,
            "province": filters.province,
            "funding_source": filters.funding_source,
            "kind": filters.kind,
            "q": filters.q,
        },
    )
    page = paginate(rows, filters, lambda plan: plan)
    figures = plan_figures_many(page["results"], filters.as_of)
    page["results"] = [plan_out(plan, figures[plan.pk]) for plan in page["results"]]
    return page


def get_scoped(request: HttpRequest, plan_id: int) -> Plan:
    return plan_list(user=request.user).get(pk=plan_id)


class AsOf(Schema):
    as_of: datetime.date | None = None


def _read(request: HttpRequest, plan_id: int, as_of: datetime.date | None = None) -> dict:
    plan = get_scoped(request, plan_id)
    return plan_out(plan, plan_figures_many([plan], as_of)[plan.pk], versions=True)


@router.get(
    "/plans/{plan_id}",
    response={200: PlanOut, **ERROR_RESPONSES},
    summary="One plan, its decisions (ceilings), allocation batches and figures on a date",
)
def get_plan(request: HttpRequest, plan_id: Path[Id], params: Query[AsOf]) -> dict:
    require(request, "plans.view")
    return _read(request, plan_id, params.as_of)


class PlanIn(Schema):
    province_id: Id
    year: Year
    end_year: Year | None = None  # the last year of a period; default: ``year``
    kind: Literal["main", "supplementary"] = PlanKind.MAIN
    funding_source: Literal["national", "local", "other"]
    title: Text(300)  # type: ignore[valid-type]
    ceiling: Money
    approving_authority: Text(200) = ""  # type: ignore[valid-type]
    notes: Text(5000) = ""  # type: ignore[valid-type]


@router.post("/plans", response={201: PlanOut, **WRITE_RESPONSES}, summary="Create a draft plan")
def create_plan(request: HttpRequest, payload: PlanIn) -> Status:
    require(request, "plans.manage")
    province = AdminUnit.objects.filter(pk=payload.province_id, level="province").first()
    if province is None:
        raise ApiRefusal(
            400, _no_such("province"), loc=["body", "province_id"], type="invalid_choice"
        )
    plan = services.create_plan(
        actor=request.user,
        province=province,
        year=payload.year,
        end_year=payload.end_year,
        kind=payload.kind,
        funding_source=FundingSource.objects.get(code=payload.funding_source),
        title=payload.title,
        ceiling=payload.ceiling,
        approving_authority=payload.approving_authority,
        notes=payload.notes,
    )
    return Status(201, _read(request, plan.pk))


def _no_such(what: str) -> str:
    labels = {
        "province": _("No such province."),
        "plan": _("No such plan in your area."),
        "beneficiary": _("No such beneficiary in your area."),
        "place": _("No such administrative unit."),
        "organisation": _("No such organisation."),
        "content_area": _("No such content area."),
    }
    return labels[what]


class PlanPatch(Schema):
    version: Id
    title: Text(300) | None = None  # type: ignore[valid-type]
    # before approval only (the service says so after)
    end_year: Year | None = None
    kind: Literal["main", "supplementary"] | None = None
    approving_authority: Text(200) | None = None  # type: ignore[valid-type]
    notes: Text(5000) | None = None  # type: ignore[valid-type]


@router.patch("/plans/{plan_id}", response={200: PlanOut, **WRITE_RESPONSES}, summary="Edit a plan")
def update_plan(request: HttpRequest, plan_id: Path[Id], payload: PlanPatch) -> dict:
    require(request, "plans.manage")
    plan = get_scoped(request, plan_id)
    changes = {
        k: v
        for k, v in payload.dict(exclude_unset=True).items()
        if k != "version" and v is not None
    }
    services.update_plan(plan=plan, actor=request.user, expected_version=payload.version, **changes)
    return _read(request, plan_id)


class VersionIn(Schema):
    version: Id


@router.post(
    "/plans/{plan_id}/submit",
    response={200: PlanOut, **WRITE_RESPONSES},
    summary="Submit a draft plan",
)
def submit_plan(request: HttpRequest, plan_id: Path[Id], payload: VersionIn) -> dict:
    require(request, "plans.manage")
    plan = get_scoped(request, plan_id)
    services.submit_plan(plan=plan, actor=request.user, expected_version=payload.version)
    return _read(request, plan_id)


class ApprovalIn(Schema):
    version: Id
    decision_number: Text(60)  # type: ignore[valid-type]
    decision_date: datetime.date
    effective_date: datetime.date | None = None
    approving_authority: Text(200) = ""  # type: ignore[valid-type]
    ceiling: Money | None = None


@router.post(
    "/plans/{plan_id}/approve",
    response={200: PlanOut, **IDEMPOTENT_RESPONSES},
    summary="Record the plan's approval decision",
    openapi_extra=OPENAPI,
)
@idempotent  # a ceiling is money
def approve_plan(request: HttpRequest, plan_id: Path[Id], payload: ApprovalIn) -> dict:
    plan = get_scoped(request, plan_id)
    services.approve_plan(
        plan=plan,
        actor=request.user,
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        effective_date=payload.effective_date,
        approving_authority=payload.approving_authority,
        ceiling=payload.ceiling,
        expected_version=payload.version,
    )
    return _read(request, plan_id)


class PlanVersionIn(Schema):
    version: Id
    kind: Literal["adjustment", "supplement"]
    ceiling: Money
    decision_number: Text(60)  # type: ignore[valid-type]
    decision_date: datetime.date
    issuer: Text(200) = ""  # type: ignore[valid-type]
    effective_date: datetime.date | None = None
    reason: Text(5000) = ""  # type: ignore[valid-type]


@router.post(
    "/plans/{plan_id}/versions",
    response={201: PlanOut, **IDEMPOTENT_RESPONSES},
    summary="Adjust or supplement an approved plan (a new ceiling)",
    openapi_extra=OPENAPI,
)
@idempotent  # a ceiling is money
def add_plan_version(request: HttpRequest, plan_id: Path[Id], payload: PlanVersionIn) -> Status:
    plan = get_scoped(request, plan_id)
    services.add_plan_version(
        plan=plan,
        actor=request.user,
        kind=payload.kind,
        ceiling=payload.ceiling,
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        effective_date=payload.effective_date,
        reason=payload.reason,
        issuer=payload.issuer,
        expected_version=payload.version,
    )
    return Status(201, _read(request, plan_id))


class AllocationIn(Schema):
    batch: int  # 1 to 99: the service says so in Vietnamese, as the form does
    document_kind: Literal["letter", "decision"] = AllocationDocument.LETTER
    document_number: Text(80)  # type: ignore[valid-type]
    document_date: datetime.date
    issuer: Text(200)  # type: ignore[valid-type]
    amount: int  # whole đồng, not negative: checked by the service (the form's message)
    notes: Text(5000) = ""  # type: ignore[valid-type]


@router.get(
    "/plans/{plan_id}/allocations",
    response={200: list[AllocationOut], **ERROR_RESPONSES},
    summary="A national plan's allocation batches, each with its projects' count and money",
)
def list_allocations(request: HttpRequest, plan_id: Path[Id]) -> list[dict[str, Any]]:
    require(request, "plans.view")
    return allocations_out(get_scoped(request, plan_id))


@router.post(
    "/plans/{plan_id}/allocations",
    response={201: AllocationOut, **IDEMPOTENT_RESPONSES},
    summary="Record a batch (đợt) assigned to a national plan by letter or decision",
    openapi_extra=OPENAPI,
)
@idempotent  # an allocation is money
def record_allocation(request: HttpRequest, plan_id: Path[Id], payload: AllocationIn) -> Status:
    plan = get_scoped(request, plan_id)
    allocation = services.record_allocation(
        plan=plan,
        actor=request.user,
        batch=payload.batch,
        document_kind=payload.document_kind,
        document_number=payload.document_number,
        document_date=payload.document_date,
        issuer=payload.issuer,
        amount=payload.amount,
        notes=payload.notes,
    )
    [row] = [row for row in allocations_out(plan) if row["id"] == allocation.pk]
    return Status(201, row)
