"""Writes on plans: create, submit, approve, adjust (new version), edit. One transaction each.

Approving or adjusting a national-fund plan needs ``plans.approve_national`` (the national
agency records the Ministry's decision); a local-fund plan ``plans.approve_local`` (the
department leader records the provincial People's Committee's decision). A new version never
puts the ceiling below what the plan's projects hold on any date.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.core.models import VersionConflict, lock_versioned
from khuyencong.core.money import MoneyError, format_vnd, parse_vnd
from khuyencong.core.text import clean_text
from khuyencong.core.workflow import Refused
from khuyencong.plans.models import (
    Allocation,
    AllocationDocument,
    Plan,
    PlanKind,
    PlanStatus,
    PlanVersion,
    PlanVersionKind,
)
from khuyencong.projects import lifecycle
from khuyencong.projects.models import ProjectEvent
from khuyencong.projects.services import ceiling_steps, plan_timelines

__all__ = [
    "Refused",
    "VersionConflict",
    "add_plan_version",
    "allocation_problem",
    "approve_plan",
    "create_plan",
    "record_allocation",
    "submit_plan",
    "update_plan",
]


def _lock(plan: Plan, expected_version: int | None) -> Plan:
    return lock_versioned(
        plan, expected_version, related=("funding_source",), archived=_("This plan is archived.")
    )


def _check_ceiling(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Refused(_("The ceiling is a whole, non-negative number of đồng."), "ceiling")
    return value


def _check_period(year: int, end_year: Any) -> int:
    if (
        isinstance(end_year, bool)
        or not isinstance(end_year, int)
        or not (year <= end_year <= year + 9)
    ):
        raise Refused(
            _("A plan's period ends in its first year or up to nine years later."), "end_year"
        )
    return end_year


def _check_one_main(plan: Plan) -> None:
    """One main plan per province, source and first year; others are supplementary."""
    others = Plan.objects.active().filter(
        province=plan.province_id,
        year=plan.year,
        funding_source=plan.funding_source_id,
        kind=PlanKind.MAIN,
    )
    if plan.pk:
        others = others.exclude(pk=plan.pk)
    if others.exists():
        raise Refused(
            _(
                "%(province)s already has a main %(year)s plan for this funding source: "
                "record this one as a supplementary plan."
            )
            % {"province": plan.province.name, "year": plan.year},
            "duplicate",
        )


def create_plan(
    *,
    actor: Any,
    province: Any,
    year: int,
    funding_source: Any,
    title: str,
    ceiling: int,
    approving_authority: str = "",
    notes: str = "",
    end_year: int | None = None,
    kind: str = PlanKind.MAIN,
) -> Plan:
    """A draft plan with its original version (the proposed ceiling). ``end_year``: the
    last year of a plan for a period of several years (default: ``year``); ``kind``: the
    province's main plan for the source and year (one) or a supplementary plan (any)."""
    _check_ceiling(ceiling)
    end_year = _check_period(year, year if end_year is None else end_year)
    if kind not in PlanKind.values:
        raise Refused(_("Unknown kind of plan."), "kind")
    title = clean_text(title)
    if not title:
        raise Refused(_("Enter the plan title."), "title")
    if province.level != "province":
        raise Refused(_("A plan belongs to a province."), "province")
    plan = Plan(
        province=province,
        year=year,
        end_year=end_year,
        kind=kind,
        funding_source=funding_source,
        title=title,
        approving_authority=clean_text(approving_authority),
        notes=clean_text(notes),
        status=PlanStatus.DRAFT,
    )
    roles.require(actor, "plans.manage", plan)
    if kind == PlanKind.MAIN:
        _check_one_main(plan)
    with transaction.atomic():
        plan.save()
        PlanVersion.objects.create(
            plan=plan,
            number=1,
            kind=PlanVersionKind.ORIGINAL,
            effective_date=datetime.date(year, 1, 1),
            ceiling=ceiling,
            issuer=plan.approving_authority,
        )
    return plan


def submit_plan(*, plan: Plan, actor: Any, expected_version: int | None = None) -> Plan:
    with transaction.atomic():
        locked = _lock(plan, expected_version)
        roles.require(actor, "plans.manage", locked)
        if locked.status != PlanStatus.DRAFT:
            raise Refused(_("Only a draft plan can be submitted."), "status")
        locked.status = PlanStatus.SUBMITTED
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
    plan.refresh_from_db()
    return plan


def approve_plan(
    *,
    plan: Plan,
    actor: Any,
    decision_number: str,
    decision_date: datetime.date,
    effective_date: datetime.date | None = None,
    approving_authority: str = "",
    ceiling: int | None = None,
    expected_version: int | None = None,
) -> Plan:
    """Record the approval decision; the original version takes its number, date and
    (optionally) the approved ceiling, in force from ``effective_date`` (default: the
    decision date)."""
    with transaction.atomic():
        locked = _lock(plan, expected_version)
        roles.require(actor, f"plans.approve_{locked.fund}", locked)
        if locked.status == PlanStatus.APPROVED:
            raise Refused(_("This plan is already approved."), "status")
        decision_number = clean_text(decision_number)
        if not decision_number:
            raise Refused(_("Enter the number of the approval decision."), "decision")
        problem = lifecycle.plan_year_problem(locked.year, decision_date, locked.end_year)
        if problem:
            raise Refused(problem, "date")
        original = locked.versions.get(number=1)
        original.decision_number = decision_number
        original.decision_date = decision_date
        original.effective_date = effective_date or decision_date
        original.issuer = clean_text(approving_authority) or locked.approving_authority
        if ceiling is not None:
            original.ceiling = _check_ceiling(ceiling)
        original.save()
        locked.status = PlanStatus.APPROVED
        locked.decision_number = decision_number
        locked.decision_date = decision_date
        if approving_authority:
            locked.approving_authority = clean_text(approving_authority)
        locked.version += 1
        locked.save()
    plan.refresh_from_db()
    return plan


def add_plan_version(
    *,
    plan: Plan,
    actor: Any,
    kind: str,
    ceiling: int,
    decision_number: str,
    decision_date: datetime.date,
    effective_date: datetime.date | None = None,
    reason: str = "",
    issuer: str = "",
    expected_version: int | None = None,
) -> PlanVersion:
    """An adjustment or supplement (điều chỉnh, bổ sung) setting a new ceiling.

    Refused if the plan's projects would hold more than the new ceiling on any date.
    """
    _check_ceiling(ceiling)
    with transaction.atomic():
        locked = _lock(plan, expected_version)
        roles.require(actor, f"plans.approve_{locked.fund}", locked)
        if locked.status != PlanStatus.APPROVED:
            raise Refused(_("Only an approved plan can be adjusted."), "status")
        if kind not in (PlanVersionKind.ADJUSTMENT, PlanVersionKind.SUPPLEMENT):
            raise Refused(_("A new version is an adjustment or a supplement."), "kind")
        decision_number = clean_text(decision_number)
        if not decision_number:
            raise Refused(_("Enter the number of the adjustment decision."), "decision")
        effective_date = effective_date or decision_date
        latest = locked.versions.order_by("-effective_date", "-number").first()
        if latest and effective_date < latest.effective_date:
            raise Refused(
                _("The new version cannot take effect before the current one (%(date)s).")
                % {"date": lifecycle.day_text(latest.effective_date)},
                "date",
            )
        problem = lifecycle.plan_year_problem(locked.year, effective_date, locked.end_year)
        if problem:
            raise Refused(problem, "date")
        steps = (*ceiling_steps(locked), (effective_date, ceiling))
        breach = lifecycle.first_ceiling_breach(steps, plan_timelines(locked))
        if breach is not None:
            raise Refused(
                _(
                    "The plan's projects hold %(allocated)s on %(date)s: the ceiling cannot "
                    "go below that (asked: %(ceiling)s)."
                )
                % {
                    "allocated": format_vnd(breach.allocated),
                    "date": lifecycle.day_text(breach.day),
                    "ceiling": format_vnd(breach.ceiling),
                },
                "ceiling",
            )
        number = (locked.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = PlanVersion.objects.create(
            plan=locked,
            number=number,
            kind=kind,
            decision_number=decision_number,
            decision_date=decision_date,
            effective_date=effective_date,
            ceiling=ceiling,
            reason=clean_text(reason),
            issuer=clean_text(issuer) or locked.approving_authority,
        )
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
    plan.refresh_from_db()
    return version


PLAN_FIELDS = {"title", "approving_authority", "notes", "end_year", "kind"}


def _dates_outside(plan: Plan, end_year: int) -> str | None:
    """The first of the plan's recorded dates (decisions, batches, project steps) a period
    ending in ``end_year`` would leave out, as the refusal's text."""
    recorded = [
        *plan.versions.values_list("decision_date", flat=True),
        *plan.versions.values_list("effective_date", flat=True),
        *plan.allocations.active().values_list("document_date", flat=True),
        *ProjectEvent.objects.effective()
        .filter(project__plan=plan)
        .values_list("effective_date", flat=True),
    ]
    dates = [day for day in recorded if day is not None]
    for day in sorted(dates, reverse=True):
        problem = lifecycle.plan_year_problem(plan.year, day, end_year)
        if problem:
            return problem
    return None


def update_plan(*, plan: Plan, actor: Any, expected_version: int, **changes: Any) -> Plan:
    """Edit a plan's descriptive fields (money changes through versions), and its period
    (``end_year``) and ``kind`` while it is not approved (after approval they are what the
    decision says)."""
    unknown = set(changes) - PLAN_FIELDS
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    end_year = changes.pop("end_year", None)
    kind = changes.pop("kind", None)
    with transaction.atomic():
        locked = _lock(plan, expected_version)
        roles.require(actor, "plans.manage", locked)
        for name, value in changes.items():
            setattr(locked, name, clean_text(value))
        if not locked.title:
            raise Refused(_("Enter the plan title."), "title")
        period_changes = (end_year is not None and end_year != locked.end_year) or (
            kind is not None and kind != locked.kind
        )
        if period_changes and locked.status == PlanStatus.APPROVED:
            raise Refused(
                _(
                    "The period and the kind of an approved plan are those of its decision: "
                    "record an adjustment decision or a supplementary plan instead."
                ),
                "end_year" if end_year is not None and end_year != locked.end_year else "kind",
            )
        if end_year is not None and end_year != locked.end_year:
            locked.end_year = _check_period(locked.year, end_year)
            problem = _dates_outside(locked, locked.end_year)
            if problem:
                raise Refused(problem, "end_year")
        if kind is not None and kind != locked.kind:
            if kind not in PlanKind.values:
                raise Refused(_("Unknown kind of plan."), "kind")
            locked.kind = kind
            if kind == PlanKind.MAIN:
                _check_one_main(locked)
        locked.save_versioned(expected_version)
    plan.refresh_from_db()
    return plan


def allocation_problem(plan: Plan) -> str | None:
    """Why no batch can be recorded on ``plan`` (None: it can): only the national agency
    assigns projects by letter, to a province's national-fund plan."""
    if plan.fund != "national":
        return _("Allocations by letter belong to national-fund plans.")
    return None


def record_allocation(
    *,
    plan: Plan,
    actor: Any,
    batch: int,
    document_number: str,
    document_date: datetime.date,
    issuer: str,
    amount: int,
    document_kind: str = AllocationDocument.LETTER,
    notes: str = "",
) -> Allocation:
    """A batch (đợt) of national-fund projects assigned to the plan's province by the
    national agency's letter or decision. Recorded by whoever records the national plan's
    decisions (``plans.approve_national``)."""
    with transaction.atomic():
        locked = _lock(plan, None)
        roles.require(actor, f"plans.approve_{locked.fund}", locked)
        problem = allocation_problem(locked)
        if problem:
            raise Refused(problem, "plan")
        if isinstance(batch, bool) or not isinstance(batch, int) or not 1 <= batch <= 99:
            raise Refused(_("The batch is a number from 1 to 99."), "batch")
        if locked.allocations.active().filter(batch=batch).exists():
            raise Refused(
                _("Batch %(batch)s of this plan is already recorded.") % {"batch": batch},
                "batch",
            )
        document_number = clean_text(document_number)
        issuer = clean_text(issuer)
        if not document_number:
            raise Refused(_("Enter the number of the letter or decision."), "document_number")
        if not issuer:
            raise Refused(_("Enter who issued the letter or decision."), "issuer")
        if document_kind not in AllocationDocument.values:
            raise Refused(_("Unknown kind of document."), "document_kind")
        try:
            amount = parse_vnd(amount)
        except MoneyError as error:
            raise Refused(str(error), "amount") from None
        problem = lifecycle.plan_year_problem(locked.year, document_date, locked.end_year)
        if problem:
            raise Refused(problem, "document_date")
        allocation = Allocation.objects.create(
            plan=locked,
            batch=batch,
            document_kind=document_kind,
            document_number=document_number,
            document_date=document_date,
            issuer=issuer,
            amount=amount,
            notes=clean_text(notes),
        )
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
    plan.refresh_from_db()
    return allocation
