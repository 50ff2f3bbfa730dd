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
from khuyencong.core.money import format_vnd
from khuyencong.core.text import clean_text
from khuyencong.core.workflow import Refused
from khuyencong.plans.models import Plan, PlanStatus, PlanVersion, PlanVersionKind
from khuyencong.projects import lifecycle
from khuyencong.projects.services import ceiling_steps, plan_timelines

__all__ = [
    "Refused",
    "VersionConflict",
    "add_plan_version",
    "approve_plan",
    "create_plan",
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
) -> Plan:
    """A draft plan with its original version (the proposed ceiling)."""
    _check_ceiling(ceiling)
    title = clean_text(title)
    if not title:
        raise Refused(_("Enter the plan title."), "title")
    if province.level != "province":
        raise Refused(_("A plan belongs to a province."), "province")
    plan = Plan(
        province=province,
        year=year,
        funding_source=funding_source,
        title=title,
        approving_authority=clean_text(approving_authority),
        notes=clean_text(notes),
        status=PlanStatus.DRAFT,
    )
    roles.require(actor, "plans.manage", plan)
    exists = Plan.objects.active().filter(
        province=province, year=year, funding_source=funding_source
    )
    if exists.exists():
        raise Refused(
            _("%(province)s already has a %(year)s plan for this funding source.")
            % {"province": province.name, "year": year},
            "duplicate",
        )
    with transaction.atomic():
        plan.save()
        PlanVersion.objects.create(
            plan=plan,
            number=1,
            kind=PlanVersionKind.ORIGINAL,
            effective_date=datetime.date(year, 1, 1),
            ceiling=ceiling,
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
        problem = lifecycle.plan_year_problem(locked.year, decision_date)
        if problem:
            raise Refused(problem, "date")
        original = locked.versions.get(number=1)
        original.decision_number = decision_number
        original.decision_date = decision_date
        original.effective_date = effective_date or decision_date
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
        problem = lifecycle.plan_year_problem(locked.year, effective_date)
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
        )
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
    plan.refresh_from_db()
    return version


PLAN_FIELDS = {"title", "approving_authority", "notes"}


def update_plan(*, plan: Plan, actor: Any, expected_version: int, **changes: Any) -> Plan:
    """Edit a plan's descriptive fields (money changes through versions)."""
    unknown = set(changes) - PLAN_FIELDS
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = _lock(plan, expected_version)
        roles.require(actor, "plans.manage", locked)
        for name, value in changes.items():
            setattr(locked, name, clean_text(value))
        if not locked.title:
            raise Refused(_("Enter the plan title."), "title")
        locked.save_versioned(expected_version)
    plan.refresh_from_db()
    return plan
