"""Building next year's plan from accepted registrations, through the plans and projects
services (one way to write a plan, one way to write a project).

- ``build_plan``: the draft plan of a province, year and funding source
  (``projects.plan_services.create_plan``, or the existing draft) holding the chosen registrations;
  refused when their support exceeds the ceiling.
- ``set_plan_entries``: change which registrations a draft plan holds (same ceiling rule).
- ``approve_registration_plan``: ``projects.plan_services.approve_plan`` with the decision, then for
  each registration ``projects.services.create_project`` and the ``appraise`` and ``approve``
  transitions: the projects start life approved, linked to their registrations.

The register and appraise steps of those projects replay what the registration already
records (its date, the council's decision): they are written by the system actor, as for
history loaded from earlier records; the approval is the approver's own step and is checked
against their permission (``projects.decide_<fund>``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation
from khuyencong.core.money import format_vnd
from khuyencong.core.text import day_text
from khuyencong.core.workflow import Refused
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan, PlanKind, PlanStatus
from khuyencong.projects import plan_services
from khuyencong.projects import services as project_services
from khuyencong.projects.models import Budget, KcqgType, Project
from khuyencong.projects.models import EventKind as ProjectEventKind
from khuyencong.projects.services import SYSTEM, actor_row
from khuyencong.registrations.models import (
    EventKind,
    PlanEntry,
    Registration,
    RegistrationEvent,
    Status,
)
from khuyencong.registrations.services import today

__all__ = [
    "Refused",
    "approve_registration_plan",
    "build_plan",
    "committed_amount",
    "plan_for",
    "set_plan_entries",
]


def plan_for(province: AdminUnit, year: int, funding_source: Any) -> Plan | None:
    """The active main plan of the province (or the province it was merged into) in force in
    the year: a one-year plan of that year first, else a plan for a period covering it
    (registrations build the main plan; supplementary plans are recorded as such)."""
    family = AdminUnit.province_family_ids(province.pk)
    return (
        Plan.objects.active()
        .for_year(year)
        .filter(province_id__in=family, funding_source=funding_source, kind=PlanKind.MAIN)
        .select_related("funding_source", "province")
        .order_by("-year", "end_year", "pk")
        .first()
    )


def other_projects_amount(plan: Plan) -> int:
    """Money of projects put in the plan some other way (not from a registration here)."""
    source = plan.funding_source.code
    field = {"national": "budget_national", "local": "budget_local"}.get(source, "budget_other")
    linked = PlanEntry.objects.filter(plan=plan, registration__project__isnull=False).values(
        "registration__project"
    )
    total = (
        Project.objects.active()
        .filter(plan=plan)
        .exclude(pk__in=linked)
        .exclude(status="stopped")
        .aggregate(total=Sum(field))["total"]
    )
    return total or 0


def committed_amount(plan: Plan) -> int:
    """The registrations' support in the plan plus the plan's other projects."""
    entries = PlanEntry.objects.active().filter(plan=plan).aggregate(total=Sum("amount"))
    return (entries["total"] or 0) + other_projects_amount(plan)


def draft_ceiling(plan: Plan) -> int:
    version = plan.versions.order_by("number").first()
    return version.ceiling if version else 0


def _check_candidates(plan: Plan, registrations: list[Registration]) -> None:
    family = AdminUnit.province_family_ids(plan.province_id)
    for registration in registrations:
        if registration.archived_at is not None or registration.status != Status.ACCEPTED:
            raise Refused(
                _("%(code)s has not been accepted by the appraisal council.")
                % {"code": registration.code},
                "not_accepted",
            )
        if (
            registration.target_year not in plan.years
            or registration.funding_source_id != plan.funding_source_id
            or registration.province_id not in family
        ):
            raise Refused(
                _("%(code)s is not a registration for this plan's province, year and source.")
                % {"code": registration.code},
                "other_plan",
            )
        elsewhere = (
            PlanEntry.objects.active()
            .filter(registration=registration)
            .exclude(plan=plan)
            .select_related("plan")
            .first()
        )
        if elsewhere is not None:
            raise Refused(
                _("%(code)s is already in the plan “%(plan)s”.")
                % {"code": registration.code, "plan": elsewhere.plan.title},
                "other_plan",
            )


def over_ceiling_message(total: int, ceiling: int) -> str:
    return _(
        "The support of the chosen registrations and the plan's other projects "
        "(%(total)s) is above the ceiling (%(ceiling)s) by %(excess)s: take some "
        "registrations out, or ask for a higher ceiling."
    ) % {
        "total": format_vnd(total),
        "ceiling": format_vnd(ceiling),
        "excess": format_vnd(total - ceiling),
    }


def set_plan_entries(
    *,
    plan: Plan,
    actor: Any,
    registrations: Iterable[Registration],
    on: datetime.date | None = None,
) -> list[PlanEntry]:
    """Make the draft plan hold exactly ``registrations`` (each with its accepted support)."""
    chosen = list(registrations)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().select_related("funding_source").get(pk=plan.pk)
        roles.require(actor, "plans.manage", locked)
        if locked.archived_at is not None:
            raise Refused(_("This plan is archived."), "archived")
        if locked.status != PlanStatus.DRAFT:
            raise Refused(
                _("Only a draft plan takes registrations; this one is “%(status)s”.")
                % {"status": locked.get_status_display()},
                "status",
            )
        chosen = list(
            Registration.objects.select_for_update(of=("self",))
            .filter(pk__in=[r.pk for r in chosen])
            .select_related("decision")
            .order_by("code")
        )
        _check_candidates(locked, chosen)
        amounts = {r.pk: r.decision.approved_support for r in chosen}
        total = sum(amounts.values()) + other_projects_amount(locked)
        ceiling = draft_ceiling(locked)
        if total > ceiling:
            raise Refused(over_ceiling_message(total, ceiling), "ceiling")
        day = on or today()
        current = {
            entry.registration_id: entry for entry in PlanEntry.objects.active().filter(plan=locked)
        }
        for registration_id, entry in current.items():
            if registration_id not in amounts:
                entry.archive()
                RegistrationEvent.objects.create(
                    registration_id=registration_id,
                    kind=EventKind.UNPLAN,
                    date=day,
                    note=locked.title,
                    actor=actor_row(actor),
                )
        entries = []
        for registration in chosen:
            entry = current.get(registration.pk)
            if entry is None:
                entry = PlanEntry.objects.create(
                    plan=locked, registration=registration, amount=amounts[registration.pk]
                )
                RegistrationEvent.objects.create(
                    registration=registration,
                    kind=EventKind.PLAN,
                    date=day,
                    note=locked.title,
                    actor=actor_row(actor),
                )
            elif entry.amount != amounts[registration.pk]:
                entry.amount = amounts[registration.pk]
                entry.save(update_fields=["amount", "updated_at"])
            entries.append(entry)
    return entries


def build_plan(
    *,
    actor: Any,
    province: AdminUnit,
    year: int,
    funding_source: Any,
    ceiling: int,
    registrations: Iterable[Registration],
    title: str = "",
    approving_authority: str = "",
) -> Plan:
    """The draft plan (created if missing) holding ``registrations``; all or nothing."""
    with transaction.atomic():
        plan = plan_for(province, year, funding_source)
        if plan is None:
            title = title or _("Plan %(source)s %(year)s – %(province)s") % {
                "source": funding_source.label,
                "year": year,
                "province": province.name,
            }
            plan = plan_services.create_plan(
                actor=actor,
                province=province,
                year=year,
                funding_source=funding_source,
                title=title,
                ceiling=ceiling,
                approving_authority=approving_authority,
            )
        elif plan.status != PlanStatus.DRAFT:
            raise Refused(
                _(
                    "The %(year)s plan for this source is already “%(status)s”: registrations "
                    "join it only through an adjustment."
                )
                % {"year": year, "status": plan.get_status_display()},
                "status",
            )
        set_plan_entries(plan=plan, actor=actor, registrations=registrations)
    return plan


def _project_code(registration: Registration) -> str:
    return registration.code.replace("DK-", "DA-", 1)


def approve_registration_plan(
    *,
    plan: Plan,
    actor: Any,
    decision_number: str,
    decision_date: datetime.date,
    approving_authority: str = "",
    ceiling: int | None = None,
    expected_version: int | None = None,
) -> list[Project]:
    """Approve the plan and create its registrations' projects, approved and linked."""
    with transaction.atomic():
        locked = Plan.objects.select_for_update().select_related("funding_source").get(pk=plan.pk)
        entries = list(
            PlanEntry.objects.active()
            .filter(plan=locked)
            .select_related(
                "registration__decision",
                "registration__beneficiary",
                "registration__place",
                "registration__content_area",
                "registration__implementing_unit",
            )
            .order_by("registration__code")
        )
        if not entries:
            raise Refused(_("The plan holds no registration."), "empty")
        if not isinstance(decision_date, datetime.date):
            raise Refused(_("Enter the decision date."), "date")
        for entry in entries:
            decided = entry.registration.decision.decision_date
            if decision_date < decided:
                raise Refused(
                    _(
                        "The plan cannot be approved before the council's decision on "
                        "%(code)s (%(date)s)."
                    )
                    % {"code": entry.registration.code, "date": day_text(decided)},
                    "date",
                )
        limit = ceiling if ceiling is not None else draft_ceiling(locked)
        total = sum(entry.amount for entry in entries) + other_projects_amount(locked)
        if isinstance(limit, int) and total > limit:
            raise Refused(over_ceiling_message(total, limit), "ceiling")
        plan_services.approve_plan(
            plan=locked,
            actor=actor,
            decision_number=decision_number,
            decision_date=decision_date,
            approving_authority=approving_authority,
            ceiling=ceiling,
            expected_version=expected_version,
        )
        locked.refresh_from_db()
        projects = [
            _create_project(entry, plan=locked, actor=actor, decision_date=decision_date)
            for entry in entries
        ]
    plan.refresh_from_db()
    return projects


def _implementing_unit(registration: Registration) -> Any:
    if registration.implementing_unit_id:
        return registration.implementing_unit

    unit = (
        Organisation.objects.active()
        .filter(kind="centre", province_id=registration.province_id)
        .order_by("pk")
        .first()
    )
    if unit is None:
        raise Refused(
            _("%(code)s has no implementing unit, and the province has no extension centre.")
            % {"code": registration.code},
            "implementing_unit",
        )
    return unit


def _create_project(
    entry: PlanEntry, *, plan: Plan, actor: Any, decision_date: datetime.date
) -> Project:
    registration = Registration.objects.select_for_update().get(pk=entry.registration_id)
    decision = entry.registration.decision
    source = plan.funding_source.code
    amount = entry.amount
    money = {source if source in ("national", "local") else "other": amount}
    budget = Budget(counterpart=max(registration.total_investment - amount, 0), **money)
    project = project_services.create_project(
        actor=SYSTEM,
        code=_project_code(registration),
        title=registration.title,
        content_area=entry.registration.content_area,
        implementing_unit=_implementing_unit(entry.registration),
        place=entry.registration.place,
        registered_on=registration.registered_on,
        plan=plan,
        beneficiary=entry.registration.beneficiary,
        kcqg_type=KcqgType.BENEFICIARY if source == "national" else "",
        budget=budget,
        start_date=registration.planned_start,
        end_date=registration.planned_end,
        expected_results=registration.description,
        reason=_("From registration %(code)s.") % {"code": registration.code},
    )
    project_services.project_transition(
        project=project,
        kind=ProjectEventKind.APPRAISE,
        effective_date=decision.decision_date,
        actor=SYSTEM,
        document_number=decision.decision_number,
        document_date=decision.decision_date,
        reason=decision.reason,
    )
    project_services.project_transition(
        project=project,
        kind=ProjectEventKind.APPROVE,
        effective_date=decision_date,
        actor=actor,
        document_number=plan.decision_number,
        document_date=plan.decision_date,
        issuer=plan.approving_authority,
    )
    previous = registration.status
    registration.project = project
    registration.status = Status.APPROVED
    registration.version += 1
    registration.save(update_fields=["project", "status", "version", "updated_at"])
    RegistrationEvent.objects.create(
        registration=registration,
        kind=EventKind.APPROVE,
        date=decision_date,
        from_status=previous,
        to_status=Status.APPROVED,
        note=f"{plan.decision_number} — {project.code}",
        actor=actor_row(actor),
    )
    return project
