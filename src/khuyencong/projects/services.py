"""Writes on projects: keyword-only functions, each in one transaction.

Every function checks the permission through ``accounts.roles.check`` (with the project, so
scope applies), asks the rules in ``lifecycle`` and only then writes. A refusal raises
``lifecycle.Refused`` (or ``core.models.VersionConflict`` for a stale version) and nothing is
written: the transaction rolls back whatever happened before the refusal.

Every write on a project's records (an event, a progress update, a document, an inspection, an
edit, archiving) locks the project's row, checks the version its caller saw
(``expected_version``; ``None`` only for callers that read nothing first: imports re-checked
at commit, the system) and raises it: a form or client still holding the old version is
refused instead of recording the same payment a second time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Sum
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.beneficiaries import duplicates
from khuyencong.core.models import VersionConflict, lock_versioned
from khuyencong.core.money import format_vnd
from khuyencong.core.text import clean_text
from khuyencong.core.uploads import check_upload
from khuyencong.core.workflow import Refused
from khuyencong.places.models import AdminUnit, scope_from_place
from khuyencong.plans.models import Plan
from khuyencong.projects import dates, lifecycle, procedure, references
from khuyencong.projects.lifecycle import Facts
from khuyencong.projects.models import (
    APPROVING,
    AdvanceCapRule,
    Annulment,
    Budget,
    DisbursementKind,
    EventKind,
    FollowUpStatus,
    Inspection,
    KcqgType,
    PlanTally,
    ProgressUpdate,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectKind,
    Status,
)
from khuyencong.projects.selectors import counted_projects, event_facts, progress_facts
from khuyencong.projects.states import write_states

__all__ = [
    "SYSTEM",
    "Refused",
    "VersionConflict",
    "add_document",
    "annul_event",
    "annul_progress",
    "archive_project",
    "correct_event",
    "create_inspection",
    "create_project",
    "project_transition",
    "record_progress",
    "refresh_all_tallies",
    "refresh_states",
    "refresh_tallies",
    "update_inspection",
    "update_project",
]


class SystemActor:
    """The system itself, for history it loads (demo data, imports): it holds every
    permission and is recorded as no actor ("loaded from earlier records")."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None
    role = "system_admin"
    scope_level = "national"
    province_id = district_id = beneficiary_id = None

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def actor_row(actor: Any) -> Any:
    """The user to store on a record: ``None`` for the system actor."""
    return None if isinstance(actor, SystemActor) else actor


def lock_project(project: Project, expected_version: int | None) -> Project:
    """The project's row locked for a write, at the version its caller saw (see above)."""
    return lock_versioned(
        project,
        expected_version,
        related=("plan__funding_source",),
        archived=_("This project is archived."),
    )


def raise_version(locked: Project) -> None:
    """A record was written on ``locked`` (inside the write's transaction): whoever read the
    project before must read it again before writing on it."""
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])  # not an audited change by itself


# --------------------------------------------------------------------------- facts


def plan_timelines(plan: Any, *, exclude_pk: int | None = None) -> list[list[tuple]]:
    """The allocation timeline of every active project in ``plan`` (one query)."""
    source = plan.funding_source.code
    projects = (
        Project.objects.active()
        .filter(plan=plan)
        .prefetch_related(
            Prefetch("events", queryset=ProjectEvent.objects.effective().in_replay_order())
        )
        .only("pk", "budget_national", "budget_local", "budget_counterpart", "budget_other")
    )
    if exclude_pk is not None:
        projects = projects.exclude(pk=exclude_pk)
    timelines = []
    for other in projects:
        timelines.append(
            lifecycle.allocation_timeline(
                event_facts(other.events.all(), source),
                current_plan_budget=other.budget.in_source(source),
            )
        )
    return timelines


def ceiling_steps(plan: Any) -> tuple[tuple[datetime.date, int], ...]:
    return tuple(
        plan.versions.order_by("effective_date", "number").values_list("effective_date", "ceiling")
    )


def cap_percent(day: datetime.date, source_code: str) -> int | None:
    rule = AdvanceCapRule.rule_on(day, source_code)
    return rule.percent if rule else None


def build_facts(project: Project, *, day: datetime.date, with_plan_money: bool = False) -> Facts:
    source = project.funding_source_code
    events = event_facts(project.events.effective().in_replay_order(), source)
    progress = progress_facts(project.progress_updates.effective().order_by("date", "id"))
    current = project.budget.in_source(source)
    plan = project.plan if project.plan_id else None
    steps: tuple = ()
    others: tuple = ()
    if plan is not None and with_plan_money:
        steps = ceiling_steps(plan)
        others = tuple(tuple(t) for t in plan_timelines(plan, exclude_pk=project.pk))
    replay = lifecycle.replay(events, progress, current_plan_budget=current)
    registered = next((e.effective_date for e in events if e.kind == EventKind.REGISTER), None)
    return Facts(
        fund=project.fund,
        status=project.status,
        replay=replay,
        events=tuple(events),
        current_plan_budget=current,
        has_plan=plan is not None,
        plan_year=plan.year if plan else None,
        plan_end_year=plan.end_year if plan else None,
        plan_approved=bool(plan and plan.status == "approved"),
        ceiling_steps=steps,
        other_timelines=others,
        advance_cap_percent=cap_percent(day, source),
        dates=date_rule(project, registered_on=registered, last_recorded=replay.last_activity_date),
        document_kinds=procedure.document_kinds(project, day),
    )


def date_rule(
    project: Project,
    *,
    registered_on: datetime.date | None = None,
    last_recorded: datetime.date | None = None,
) -> dates.Rule:
    """The one date rule (``projects.dates``) for a project's records: its plan's period, else
    its own years (from its registration, read when not given)."""
    plan = project.plan if project.plan_id else None
    if plan is not None:
        period = dates.plan_period(plan.year, plan.end_year)
    else:
        if registered_on is None and project.pk:
            registered_on = (
                project.events.filter(kind=EventKind.REGISTER)
                .values_list("effective_date", flat=True)
                .first()
            )
        period = dates.own_period(registered_on, project.end_date)
    return dates.rule(period, last_recorded=last_recorded)


# --------------------------------------------------------------------------- derived state

TALLY_CHUNK = 2000


def refresh_states(project_ids: Sequence[int], *, also_plans: Iterable[int | None] = ()) -> int:
    """Rewrite the ``StatePeriod`` rows of each project from its records, replayed by the
    rules (``states.write_states``), then the tallies of their plans (and ``also_plans``: a
    plan a project left); returns the number of projects written. Every write of an event, a
    progress update or a project's money calls it in its own transaction."""
    ids = sorted(set(project_ids))
    written = write_states(ids)
    plan_ids = set(Project.objects.filter(pk__in=ids).values_list("plan_id", flat=True))
    refresh_tallies(plan_ids | set(also_plans))  # the plans' sums follow their projects
    return written


def refresh_tallies(plan_ids: Iterable[int | None]) -> int:
    """Rewrite the ``PlanTally`` rows of each plan from its counted projects' current state
    (the sums the dashboard groups: ``selectors.counted_projects``), one row per province,
    zeros where a province has none left; returns the number of rows written.

    The plan rows are locked first (in id order, so two writers cannot deadlock): a second
    write in the same plan waits, then sums with the first one's committed state, instead of
    both summing without the other and the last one's sum winning."""
    ids = sorted({pk for pk in plan_ids if pk is not None})
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), TALLY_CHUNK):
            chunk = ids[start : start + TALLY_CHUNK]
            list(
                Plan.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            sums = {
                (row["plan_id"], row["province_id"]): row
                for row in counted_projects(Project.objects.filter(plan_id__in=chunk), None)
                .order_by()
                .values("plan_id", "province_id")
                .annotate(
                    n=Count("pk"),
                    allocated_sum=Sum("as_of_allocated"),
                    disbursed_sum=Sum("as_of_disbursed"),
                    settled_sum=Sum("as_of_settled"),
                )
            }
            pairs = set(sums) | set(
                PlanTally.objects.filter(plan_id__in=chunk).values_list("plan_id", "province_id")
            )
            tallies = [
                PlanTally(
                    plan_id=plan_id,
                    province_id=province_id,
                    projects=sums.get((plan_id, province_id), {}).get("n") or 0,
                    allocated=sums.get((plan_id, province_id), {}).get("allocated_sum") or 0,
                    disbursed=sums.get((plan_id, province_id), {}).get("disbursed_sum") or 0,
                    settled=sums.get((plan_id, province_id), {}).get("settled_sum") or 0,
                )
                for plan_id, province_id in sorted(pairs)
            ]
            PlanTally.objects.bulk_create(
                tallies,
                update_conflicts=True,
                unique_fields=["plan", "province"],
                update_fields=["projects", "allocated", "disbursed", "settled"],
            )
            written += len(tallies)
    return written


def refresh_all_tallies() -> int:
    """Every plan's tallies rewritten (after migrations and bulk loads): a tally can never be
    left behind by a load that went around the services."""
    return refresh_tallies(Plan.objects.values_list("pk", flat=True))


def fill_missing_states() -> int:
    """Write the ``StatePeriod`` rows of every project that has records but no row (after
    migrations, after loads that went around the services); returns the number of projects."""
    missing = (
        Project.objects.filter(states__isnull=True, events__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    return write_states(list(missing))


# --------------------------------------------------------------------------- transitions


def _next_sequence(project: Project) -> int:
    return (project.events.aggregate(m=Max("sequence"))["m"] or 0) + 1


def _check_budget(budget: Budget) -> Budget:
    for value in budget:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise Refused(_("Budget amounts are whole, non-negative numbers of đồng."), "budget")
    return budget


def _apply(
    project: Project,
    *,
    kind: str,
    effective_date: datetime.date,
    actor: Any,
    document_number: str = "",
    document_date: datetime.date | None = None,
    issuer: str = "",
    reason: str = "",
    amount: int | None = None,
    new_budget: Budget | None = None,
    to_status: str = "",
) -> ProjectEvent:
    """Check and write one transition on a locked project (inside a transaction). The caller
    refreshes the project's current state once its writes are done (``refresh_states``)."""
    row = lifecycle.transition_for(kind)
    lifecycle.check_legal(row, project.status)
    if kind == lifecycle.BASELINE and not isinstance(actor, SystemActor):
        raise Refused(_("Only an import of earlier records takes a project over."), "permission")
    procedure.require(actor, project, kind, effective_date)  # the rule of the step's date
    if amount is not None and (not isinstance(amount, int) or amount < 0):
        raise Refused(_("An amount of money cannot be negative."), "negative")
    money = kind in (EventKind.APPROVE, EventKind.APPROVE_ADJUSTMENT, lifecycle.BASELINE)
    if money and project.plan_id:
        Plan.objects.select_for_update().get(pk=project.plan_id)
    if new_budget is not None:
        _check_budget(new_budget)
    facts = build_facts(project, day=effective_date, with_plan_money=money)
    source = project.funding_source_code
    request = lifecycle.Request(
        kind=kind,
        effective_date=effective_date,
        document_number=clean_text(document_number),
        document_date=document_date,
        reason=clean_text(reason),
        amount=amount,
        new_plan_budget=new_budget.in_source(source) if new_budget is not None else None,
        to_status=to_status,
    )
    outcome = lifecycle.decide(facts, request)
    snapshot: Budget | None = None
    if kind in (EventKind.APPROVE, lifecycle.BASELINE) and outcome.plan_budget_snapshot is not None:
        snapshot = project.budget
    elif kind == EventKind.APPROVE_ADJUSTMENT and new_budget is not None:
        snapshot = new_budget
    event = ProjectEvent.objects.create(
        project=project,
        sequence=_next_sequence(project),
        kind=kind,
        effective_date=effective_date,
        document_number=request.document_number,
        document_date=document_date,
        issuer=clean_text(issuer),
        reason=request.reason,
        actor=actor_row(actor),
        from_status=outcome.from_status,
        to_status=outcome.to_status,
        amount=outcome.amount,
        **({} if snapshot is None else snapshot.as_fields()),
    )
    changed = ["status", "version", "updated_at"]
    project.status = outcome.to_status
    if snapshot is not None and kind == EventKind.APPROVE_ADJUSTMENT:
        for name, value in snapshot.as_fields().items():
            setattr(project, name, value)
        changed += list(snapshot.as_fields())
    project.version += 1
    project._change_reason = f"event {event.sequence}: {kind}"
    project._history_user = actor_row(actor)  # the audit trail's "who", even outside a request
    project.save(update_fields=changed)
    return event


def project_transition(
    *,
    project: Project,
    kind: str,
    effective_date: datetime.date,
    actor: Any,
    document_number: str = "",
    document_date: datetime.date | None = None,
    issuer: str = "",
    reason: str = "",
    amount: int | None = None,
    new_budget: Budget | None = None,
    expected_version: int | None = None,
    to_status: str = "",
) -> ProjectEvent:
    """Record one lifecycle step (see ``lifecycle.TRANSITIONS``) and return its event.

    ``amount``: accepted value (optional) or settled value (required for settlement).
    ``new_budget``: the budget set by an approved adjustment (optional).
    ``to_status``: for the import baseline (``EventKind.TAKEN_OVER``, system actor only), the
    status the project had.
    ``expected_version``: the project version the caller saw; a mismatch raises
    ``VersionConflict``. ``project`` is refreshed from the database on success.
    """
    with transaction.atomic():
        locked = lock_project(project, expected_version)
        event = _apply(
            locked,
            kind=kind,
            effective_date=effective_date,
            actor=actor,
            document_number=document_number,
            document_date=document_date,
            issuer=issuer,
            reason=reason,
            amount=amount,
            new_budget=new_budget,
            to_status=to_status,
        )
        refresh_states([locked.pk])
    project.refresh_from_db()
    return event


def record_progress(
    *,
    project: Project,
    actor: Any,
    date: datetime.date,
    progress_percent: int,
    disbursed_amount: int = 0,
    disbursement_kind: str = DisbursementKind.ADVANCE,
    note: str = "",
    expected_version: int | None = None,
) -> ProgressUpdate:
    """Record work done and money disbursed on ``date``.

    The first update with work done on a contracted project also records the ``start``
    event (same date, same rules). Advances stay within the advance cap in force on ``date``.
    """
    if isinstance(progress_percent, bool) or not isinstance(progress_percent, int):
        raise Refused(_("Work done is a percentage between 0 and 100."), "percent_range")
    if isinstance(disbursed_amount, bool) or not isinstance(disbursed_amount, int):
        raise Refused(_("Budget amounts are whole, non-negative numbers of đồng."), "budget")
    with transaction.atomic():
        locked = lock_project(project, expected_version)
        procedure.require(actor, locked, procedure.PROGRESS, date)
        facts = build_facts(locked, day=date)
        request = lifecycle.ProgressRequest(
            date=date,
            progress_percent=progress_percent,
            disbursed_amount=disbursed_amount,
            disbursement_kind=disbursement_kind,
            note=clean_text(note),
        )
        if lifecycle.check_progress(facts, request):
            _apply(locked, kind=EventKind.START, effective_date=date, actor=actor)
        row = ProgressUpdate.objects.create(
            project=locked,
            date=date,
            progress_percent=progress_percent,
            disbursed_amount=disbursed_amount,
            disbursement_kind=disbursement_kind,
            note=request.note,
            actor=actor_row(actor),
        )
        raise_version(locked)
        refresh_states([locked.pk])
    project.refresh_from_db()
    return row


# --------------------------------------------------------------------------- create / edit

EDITABLE_FIELDS = {
    "code",
    "title",
    "content_area",
    "kcqg_type",
    "kind",
    "group_size",
    "allocation",
    "plan",
    "implementing_unit",
    "beneficiary",
    "place",
    "budget_national",
    "budget_local",
    "budget_counterpart",
    "budget_other",
    "start_date",
    "end_date",
    "expected_results",
}
MONEY_FIELDS = {
    "plan",
    "budget_national",
    "budget_local",
    "budget_counterpart",
    "budget_other",
}
REFERENCE_FIELDS = {"plan", "implementing_unit", "beneficiary", "place"}  # references.py


def project_code_taken(actor: Any, code: str, holder: Project) -> str:
    """The refusal of a project code ``holder`` already has, as ``actor`` may read it
    (``duplicates.may_identify``: outside the actor's scope, only that it is taken)."""
    if duplicates.may_identify(actor, holder):
        return _("Another project already has the code %(code)s.") % {"code": code}
    return _(
        "The code %(code)s is already registered to a project outside your area of responsibility."
    ) % {"code": code}


def _validate_project(project: Project, *, on: datetime.date, actor: Any) -> None:
    """Field rules shared by create and update (raise ``Refused``)."""
    project.code = clean_text(project.code)
    project.title = clean_text(project.title)
    if not project.code:
        raise Refused(_("Enter the project code."), "code")
    if not project.title:
        raise Refused(_("Enter the project title."), "title")
    clash = Project.objects.filter(code=project.code).exclude(pk=project.pk).first()
    if clash is not None:
        raise Refused(project_code_taken(actor, project.code, clash), "code")
    _check_budget(project.budget)
    plan = project.plan if project.plan_id else None
    if plan is not None and plan.archived_at is not None:
        raise Refused(_("This plan is archived."), "plan")
    if project.kcqg_type:
        if project.kcqg_type not in KcqgType.values:
            raise Refused(_("Unknown KCQG project type."), "kcqg_type")
        if plan is None or plan.funding_source.code != "national":
            raise Refused(
                _("The KCQG project type applies only to national-fund projects."), "kcqg_type"
            )
    if project.kcqg_type == KcqgType.BENEFICIARY and not project.beneficiary_id:
        raise Refused(_("A per-beneficiary project needs its beneficiary."), "beneficiary")
    _validate_kind(project, plan)
    place = project.place
    if not place.is_valid_on(on):
        raise Refused(
            _("%(place)s was not an administrative unit on %(date)s.")
            % {"place": place.name, "date": lifecycle.day_text(on)},
            "place",
        )
    province_id, _district_id = scope_from_place(place)
    if plan is not None:
        family = AdminUnit.province_family_ids(plan.province_id)
        if province_id not in family:
            raise Refused(_("The place is outside the plan's province."), "place")
    if project.start_date and project.end_date and project.end_date < project.start_date:
        raise Refused(_("The end date is before the start date."), "dates")


def infer_kind(kcqg_type: str, beneficiary: Any) -> str:
    """The kind of a project whose kind was not said: a KCQG group project is a group
    project; else one beneficiary's project when it names one, else the centre's own."""
    if kcqg_type == KcqgType.GROUP:
        return ProjectKind.GROUP
    return ProjectKind.SINGLE if beneficiary is not None else ProjectKind.CENTRE


def _validate_kind(project: Project, plan: Any) -> None:
    """Who the project supports (``ProjectKind``) against its beneficiary, group size,
    KCQG type and allocation batch: the one rule for form, API, import and admin."""
    if project.kind not in ProjectKind.values:
        raise Refused(_("Unknown kind of project."), "kind")
    if project.kind == ProjectKind.SINGLE and not project.beneficiary_id:
        raise Refused(_("A project for one beneficiary needs its beneficiary."), "beneficiary")
    if project.kind == ProjectKind.GROUP and project.beneficiary_id:
        raise Refused(
            _(
                "A group project names no beneficiary: add its participants by decision "
                "once it is approved."
            ),
            "beneficiary",
        )
    if project.kind == ProjectKind.CENTRE and project.beneficiary_id:
        raise Refused(
            _("A project the centre implements itself has no beneficiary."), "beneficiary"
        )
    if project.kind != ProjectKind.GROUP:
        if project.group_size is not None:
            raise Refused(_("Only a group project has a number of units to support."), "group_size")
    elif project.group_size is not None and (
        isinstance(project.group_size, bool)
        or not isinstance(project.group_size, int)
        or not 1 <= project.group_size <= 10_000
    ):
        raise Refused(_("The number of units to support is from 1 to 10,000."), "group_size")
    if (
        project.kind != ProjectKind.GROUP
        and project.pk is not None
        and project.members.active().exists()
    ):
        raise Refused(_("This group project has participants: it stays a group project."), "kind")
    if project.kcqg_type == KcqgType.GROUP and project.kind != ProjectKind.GROUP:
        raise Refused(_("A KCQG group project is a group project."), "kind")
    if project.kind == ProjectKind.GROUP and plan is not None and plan.fund == "national":
        project.kcqg_type = KcqgType.GROUP
    allocation = project.allocation if project.allocation_id else None
    if allocation is not None:
        if allocation.archived_at is not None:
            raise Refused(_("This allocation is archived."), "allocation")
        if plan is None or allocation.plan_id != plan.pk:
            raise Refused(
                _("The allocation batch belongs to another plan than the project's."),
                "allocation",
            )


def create_project(
    *,
    actor: Any,
    code: str,
    title: str,
    content_area: Any,
    implementing_unit: Any,
    place: Any,
    registered_on: datetime.date,
    plan: Any = None,
    beneficiary: Any = None,
    kcqg_type: str = "",
    kind: str = "",
    group_size: int | None = None,
    allocation: Any = None,
    budget: Budget | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    expected_results: str = "",
    document_number: str = "",
    reason: str = "",
    written_place: tuple[str, str] | None = None,
) -> Project:
    """Register a project (status ``registered``, with its ``register`` event). ``kind``
    (``ProjectKind``) defaults to one beneficiary's project when one is given, else to a
    project the centre implements itself (a group project is asked for by name).
    ``written_place`` (name, unit type): the place as the record wrote it when that is not
    ``place``'s name (an old name whose successor ``place`` is); by default ``place``'s."""
    budget = _check_budget(budget or Budget())
    if not kind:
        kind = (
            ProjectKind.GROUP
            if kcqg_type == KcqgType.GROUP
            else (ProjectKind.SINGLE if beneficiary is not None else ProjectKind.CENTRE)
        )
    project = Project(
        code=code,
        title=title,
        content_area=content_area,
        implementing_unit=implementing_unit,
        place=place,
        plan=plan,
        beneficiary=beneficiary,
        kcqg_type=kcqg_type,
        kind=kind,
        group_size=group_size,
        allocation=allocation,
        start_date=start_date,
        end_date=end_date,
        expected_results=clean_text(expected_results),
        status=Status.REGISTERED,
        place_name=written_place[0] if written_place else "",
        place_type=written_place[1] if written_place else "",
        **budget.as_fields(),
    )
    project.locate()
    roles.require(actor, "projects.register", project)
    _validate_project(project, on=start_date or registered_on, actor=actor)
    references.check_project(
        actor, plan=plan, implementing_unit=implementing_unit, beneficiary=beneficiary, place=place
    )
    dates.check(date_rule(project, registered_on=registered_on), registered_on, "registered_on")
    with transaction.atomic():
        project.save()
        ProjectEvent.objects.create(
            project=project,
            sequence=1,
            kind=EventKind.REGISTER,
            effective_date=registered_on,
            document_number=clean_text(document_number),
            reason=clean_text(reason),
            actor=actor_row(actor),
            from_status="",
            to_status=Status.REGISTERED,
        )
        refresh_states([project.pk])
    return project


def update_project(
    *, project: Project, actor: Any, expected_version: int, **changes: Any
) -> Project:
    """Edit a project's details; the plan and budget only until it is approved.

    Raises ``VersionConflict`` when someone saved the project after ``expected_version``.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = lock_project(project, expected_version)
        roles.require(actor, "projects.edit", locked)
        approved = locked.events.effective().filter(APPROVING).exists()
        # the references changed: those kept stay, even if no longer among the actor's choices
        chosen = {
            name: value
            for name, value in changes.items()
            if name in REFERENCE_FIELDS
            and getattr(locked, f"{name}_id") != getattr(value, "pk", None)
        }
        if "kind" in changes and not changes["kind"]:
            changes["kind"] = infer_kind(
                changes.get("kcqg_type", locked.kcqg_type),
                changes.get("beneficiary", locked.beneficiary if locked.beneficiary_id else None),
            )
        for name, value in changes.items():
            if name in MONEY_FIELDS and approved:
                current = getattr(locked, f"{name}_id" if name == "plan" else name)
                new = value.pk if name == "plan" and value is not None else value
                if current != new:
                    raise Refused(
                        _(
                            "The plan and budget of an approved project change only through "
                            "an approved adjustment."
                        ),
                        "approved_money",
                    )
            setattr(locked, name, value)
        locked.locate()
        roles.require(actor, "projects.edit", locked)  # still in the actor's scope after the edit
        first = locked.events.effective().order_by("sequence").first()
        assert first is not None  # a project is created with its registration event
        # the references first: another province's record is refused as such, before any
        # rule on it could tell something about it
        references.check_project(actor, **chosen)
        _validate_project(locked, on=locked.start_date or first.effective_date, actor=actor)
        locked._history_user = actor_row(actor)
        locked.save_versioned(expected_version)
        # its budget and plan are part of its state; the plan it left loses it
        refresh_states([locked.pk], also_plans=[project.plan_id])
    project.refresh_from_db()
    return project


def archive_project(*, project: Project, actor: Any, expected_version: int | None = None) -> None:
    """Archive a project that holds no money (never approved, or stopped)."""
    with transaction.atomic():
        locked = lock_project(project, expected_version)
        roles.require(actor, "projects.edit", locked)
        if locked.status not in (Status.REGISTERED, Status.APPRAISED, Status.STOPPED):
            raise Refused(
                _("Only a project that was never approved, or was stopped, can be archived."),
                "archive",
            )
        locked.archive()
        raise_version(locked)
        refresh_tallies([locked.plan_id])
    project.refresh_from_db()


# --------------------------------------------------------------------------- inspections

INSPECTION_FIELDS = {
    "planned_date",
    "held_date",
    "team",
    "findings",
    "recommendations",
    "follow_up_deadline",
    "follow_up_status",
}


INSPECTION_DATES = ("planned_date", "held_date", "follow_up_deadline")


def _validate_inspection(
    inspection: Inspection, *, changed: Iterable[str] = INSPECTION_DATES
) -> None:
    """``changed``: the dates to check against the date rule (on an edit, the ones changed: a
    date recorded under an earlier setting stays)."""
    rule = date_rule(inspection.project)
    for name in changed:
        dates.check(rule, getattr(inspection, name), name)
    for name in ("team", "findings", "recommendations"):
        setattr(inspection, name, clean_text(getattr(inspection, name)))
    if inspection.follow_up_status not in FollowUpStatus.values:
        raise Refused(_("Unknown follow-up status."), "follow_up")
    if inspection.follow_up_status == FollowUpStatus.OPEN and not inspection.follow_up_deadline:
        raise Refused(_("An open follow-up needs a deadline."), "follow_up")
    held, deadline = inspection.held_date, inspection.follow_up_deadline
    if held and deadline and deadline < held:
        raise Refused(_("The follow-up deadline is before the inspection."), "follow_up")


def create_inspection(
    *,
    project: Project,
    actor: Any,
    planned_date: datetime.date,
    expected_version: int | None = None,
    **fields: Any,
) -> Inspection:
    """Plan (or record) an inspection visit on a project (seen at ``expected_version``)."""
    unknown = set(fields) - INSPECTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown inspection fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = lock_project(project, expected_version)
        roles.require(actor, "projects.inspect", locked)
        inspection = Inspection(project=locked, planned_date=planned_date, **fields)
        _validate_inspection(inspection)
        inspection.save()
        raise_version(locked)
    project.refresh_from_db()
    return inspection


def update_inspection(
    *, inspection: Inspection, actor: Any, expected_version: int, **changes: Any
) -> Inspection:
    """Edit an inspection seen at ``expected_version`` (the inspection's own version: the
    form shows the inspection, not the project); its project's version is raised."""
    unknown = set(changes) - INSPECTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown inspection fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = lock_project(inspection.project, None)
        roles.require(actor, "projects.inspect", locked)
        changed = [
            n for n in INSPECTION_DATES if n in changes and changes[n] != getattr(inspection, n)
        ]
        for name, value in changes.items():
            setattr(inspection, name, value)
        _validate_inspection(inspection, changed=changed)
        inspection.save_versioned(expected_version)
        raise_version(locked)
    inspection.project.refresh_from_db()
    return inspection


# --------------------------------------------------------------------------- documents


def add_document(
    *,
    project: Project,
    actor: Any,
    doc_type: str,
    title: str,
    file: Any,
    number: str = "",
    date: datetime.date | None = None,
    event: ProjectEvent | None = None,
    progress_update: ProgressUpdate | None = None,
    expected_version: int | None = None,
) -> ProjectDocument:
    """Attach a checked file (size and real type) to a project, an event or a progress update,
    the project seen at ``expected_version``."""
    with transaction.atomic():
        locked = lock_project(project, expected_version)
        roles.require(actor, "projects.documents", locked)
        for owner in (event, progress_update):
            if owner is not None and owner.project_id != locked.pk:
                raise Refused(_("The document belongs to another project."), "owner")
        title = clean_text(title)
        if not title:
            raise Refused(_("Enter the document title."), "title")
        dates.check(date_rule(locked), date, "document", field="date")
        try:
            sniffed = check_upload(file)
        except ValidationError as error:
            raise Refused(" ".join(error.messages), "file") from None
        document = ProjectDocument(
            project=locked,
            event=event,
            progress_update=progress_update,
            doc_type=doc_type,
            number=clean_text(number),
            date=date,
            title=title,
            original_name=clean_text(getattr(file, "name", ""))[:255],
            size=sniffed.size,
            content_type=sniffed.content_type,
            uploaded_by=actor_row(actor),
        )
        document.file.save(file.name, file, save=False)
        document.save()
        raise_version(locked)
    project.refresh_from_db()
    return document


def may_download(user: Any, document: ProjectDocument) -> roles.Decision:
    """Whoever may see the project may download its documents."""
    return roles.check(user, "projects.view", document.project)


# --------------------------------------------------------------------------- annulment


def _event_label(event: ProjectEvent) -> str:
    label = _("%(step)s of %(date)s") % {
        "step": event.get_kind_display(),
        "date": lifecycle.day_text(event.effective_date),
    }
    if event.document_number:
        label += " " + _("no. %(number)s") % {"number": event.document_number}
    return label


def _progress_label(row: ProgressUpdate) -> str:
    return _("Progress of %(date)s (%(percent)s %%, %(amount)s)") % {
        "date": lifecycle.day_text(row.date),
        "percent": row.progress_percent,
        "amount": format_vnd(row.disbursed_amount),
    }


def record_label(record: ProjectEvent | ProgressUpdate) -> str:
    """How a record is named in a confirmation or a refusal ("Acceptance of 01/03/2025 …")."""
    if isinstance(record, ProjectEvent):
        return _event_label(record)
    return _progress_label(record)


def _history(project: Project) -> list[lifecycle.HistoryRecord]:
    """The project's records that count (not annulled), as the rules replay them: events in
    replay order and progress by date, merged in the order they were recorded on a day (a
    correction keeps its original's place)."""
    source = project.funding_source_code
    events = list(project.events.all())
    recorded = {event.sequence: event.recorded_at for event in events}
    effective = sorted(project.events.effective().order_by(), key=lambda event: event.replay_key)
    progress = list(project.progress_updates.effective().order_by("date", "id"))
    records: list[tuple[tuple, lifecycle.HistoryRecord]] = []
    for event in effective:
        amounts = (EventKind.ACCEPT, EventKind.SETTLE, lifecycle.BASELINE)
        amount = event.amount if event.kind in amounts else None
        budget = event.budget
        new_budget = None
        if event.kind == EventKind.APPROVE_ADJUSTMENT and budget is not None:
            new_budget = budget.in_source(source)
        records.append(
            (
                (event.effective_date, recorded[event.replay_key[0]]),
                lifecycle.HistoryEvent(
                    key=("event", event.pk),
                    label=_event_label(event),
                    fact=event_facts([event], source)[0],
                    request=lifecycle.Request(
                        kind=event.kind,
                        effective_date=event.effective_date,
                        document_number=event.document_number,
                        document_date=event.document_date,
                        reason=event.reason,
                        amount=amount,
                        new_plan_budget=new_budget,
                        # an import baseline names the status the project had
                        to_status=event.to_status if event.kind == lifecycle.BASELINE else "",
                    ),
                ),
            )
        )
    merged: list[lifecycle.HistoryRecord] = []
    position = 0
    for row in progress:
        while position < len(records) and records[position][0] <= (row.date, row.recorded_at):
            merged.append(records[position][1])
            position += 1
        merged.append(
            lifecycle.HistoryProgress(
                key=("progress", row.pk),
                label=_progress_label(row),
                fact=progress_facts([row])[0],
                request=lifecycle.ProgressRequest(
                    date=row.date,
                    progress_percent=row.progress_percent,
                    disbursed_amount=row.disbursed_amount,
                    disbursement_kind=row.disbursement_kind,
                    note=row.note,
                ),
            )
        )
    merged.extend(record for _key, record in records[position:])
    return merged


def _history_facts(project: Project) -> lifecycle.FactsFor:
    """``Facts`` before each record of the history: what ``build_facts`` gathers, from the
    records replayed so far (the plan's money read once, only for the steps that need it)."""
    source = project.funding_source_code
    current = project.budget.in_source(source)
    plan = project.plan if project.plan_id else None
    caps: dict[datetime.date, int | None] = {}
    documents: dict[datetime.date, frozenset[str]] = {}
    money: list[tuple] = []

    def facts_for(events: tuple, progress: tuple, day: datetime.date, kind: str) -> Facts:
        if day not in caps:
            caps[day] = cap_percent(day, source)
            documents[day] = procedure.document_kinds(project, day)  # the rule of its date
        steps: tuple = ()
        others: tuple = ()
        if plan is not None and kind in lifecycle.BUDGET_EVENTS:
            if not money:
                timelines = plan_timelines(plan, exclude_pk=project.pk)
                money.append((ceiling_steps(plan), tuple(tuple(t) for t in timelines)))
            steps, others = money[0]
        return Facts(
            fund=project.fund,
            status=events[-1].to_status if events else "",
            replay=lifecycle.replay(events, progress, current_plan_budget=current),
            events=events,
            current_plan_budget=current,
            has_plan=plan is not None,
            plan_year=plan.year if plan else None,
            plan_end_year=plan.end_year if plan else None,
            plan_approved=bool(plan and plan.status == "approved"),
            ceiling_steps=steps,
            other_timelines=others,
            advance_cap_percent=caps[day],
            document_kinds=documents[day],
        )

    return facts_for


def _ceiling_problem(
    project: Project,
    before: list[lifecycle.HistoryRecord],
    after: list[lifecycle.HistoryRecord],
) -> str | None:
    """The plan's allocated money after the change must stay within its ceiling on every date
    (annulling a lowering adjustment gives the money back to the project), unless it was
    already above before (older records)."""
    if not project.plan_id:
        return None
    current = project.budget.in_source(project.funding_source_code)
    steps = ceiling_steps(project.plan)
    others = plan_timelines(project.plan, exclude_pk=project.pk)

    def breach(history: list[lifecycle.HistoryRecord]) -> lifecycle.Breach | None:
        events = [r.fact for r in history if isinstance(r, lifecycle.HistoryEvent)]
        own = lifecycle.allocation_timeline(events, current_plan_budget=current)
        return lifecycle.first_ceiling_breach(steps, [*others, own])

    found = breach(after)
    if found is None or breach(before) is not None:
        return None
    return _(
        "The plan's allocated money would be %(allocated)s on %(date)s, above its ceiling "
        "of %(ceiling)s."
    ) % {
        "allocated": format_vnd(found.allocated),
        "date": lifecycle.day_text(found.day),
        "ceiling": format_vnd(found.ceiling),
    }


def _sync_project(locked: Project, actor: Any) -> None:
    """The project's copies of its log after an annulment: the status of its latest event
    that counts, the budget of its latest budget snapshot that counts."""
    effective = sorted(locked.events.effective().order_by(), key=lambda event: event.replay_key)
    changed = ["status", "version", "updated_at"]
    locked.status = effective[-1].to_status
    snapshots = [event.budget for event in effective if event.budget is not None]
    if snapshots:
        for name, value in snapshots[-1].as_fields().items():
            setattr(locked, name, value)
        changed += list(snapshots[-1].as_fields())
    locked.version += 1
    locked._change_reason = "annulment"
    locked._history_user = actor_row(actor)
    locked.save(update_fields=changed)


def _annul(
    locked: Project,
    *,
    actor: Any,
    reason: str,
    event: ProjectEvent | None = None,
    progress_update: ProgressUpdate | None = None,
    correction: dict[str, Any] | None = None,
) -> Annulment:
    roles.require(actor, lifecycle.ANNUL_PERMISSION, locked)
    record = event if event is not None else progress_update
    assert record is not None
    if record.project_id != locked.pk:
        raise Refused(_("This record belongs to another project."), "owner")
    if Annulment.objects.filter(
        **({"event": event} if event is not None else {"progress_update": progress_update})
    ).exists():
        raise Refused(_("This record is already annulled."), "annulled")
    reason = clean_text(reason)
    if not reason:
        raise Refused(_("Give the reason for the annulment."), "reason")
    if event is not None and event.kind == EventKind.REGISTER:
        raise Refused(
            _("The registration cannot be annulled; archive the project instead."), "register"
        )
    before = _history(locked)
    replacement = None
    if correction is not None:
        assert event is not None
        replacement = ProjectEvent.objects.create(
            project=locked,
            sequence=_next_sequence(locked),
            corrects_sequence=event.corrects_sequence or event.sequence,
            kind=event.kind,
            from_status=event.from_status,
            to_status=event.to_status,
            reason=event.reason,
            actor=actor_row(actor),
            budget_national=event.budget_national,
            budget_local=event.budget_local,
            budget_counterpart=event.budget_counterpart,
            budget_other=event.budget_other,
            **correction,
        )
    annulment = Annulment(
        project=locked,
        event=event,
        progress_update=progress_update,
        replacement=replacement,
        reason=reason,
        actor=actor_row(actor),
    )
    annulment._change_reason = reason
    annulment._history_user = actor_row(actor)
    annulment.save()
    after = _history(locked)
    problem = lifecycle.annulment_problem(before, after, _history_facts(locked))
    if problem:
        raise Refused(problem, "annulment")
    problem = _ceiling_problem(locked, before, after)
    if problem:
        raise Refused(problem, "within_ceiling")
    _sync_project(locked, actor)
    refresh_states([locked.pk])
    return annulment


def annul_event(
    *,
    project: Project,
    event: ProjectEvent,
    actor: Any,
    reason: str,
    expected_version: int | None = None,
    dry_run: bool = False,
) -> Annulment:
    """Annul a recorded event (``Annulment``): it stays in the log, struck through, and no
    longer counts. Refused when the remaining history breaks the rules
    (``lifecycle.annulment_problem``: e.g. an acceptance while its settlement stands).
    ``dry_run``: check everything, write nothing (the confirmation page)."""
    with transaction.atomic():
        locked = lock_project(project, expected_version)
        annulment = _annul(locked, actor=actor, reason=reason, event=event)
        if dry_run:
            transaction.set_rollback(True)
    project.refresh_from_db()
    return annulment


def annul_progress(
    *,
    project: Project,
    progress_update: ProgressUpdate,
    actor: Any,
    reason: str,
    expected_version: int | None = None,
    dry_run: bool = False,
) -> Annulment:
    """Annul a recorded progress entry (a duplicate payment, a wrong date): as
    ``annul_event``. The "Work started" step it may have fired stays; it is annulled on its
    own once no entry with work done stands."""
    with transaction.atomic():
        locked = lock_project(project, expected_version)
        annulment = _annul(locked, actor=actor, reason=reason, progress_update=progress_update)
        if dry_run:
            transaction.set_rollback(True)
    project.refresh_from_db()
    return annulment


CORRECTABLE = ("effective_date", "document_number", "document_date", "issuer", "amount")


def correct_event(
    *,
    project: Project,
    event: ProjectEvent,
    actor: Any,
    reason: str,
    expected_version: int | None = None,
    dry_run: bool = False,
    **changes: Any,
) -> Annulment:
    """Correct a recorded event: annul it and record, in one transaction, the same step with
    the corrected ``changes`` (``CORRECTABLE``; the amount only on an acceptance or a
    settlement) in its place in the replay. The annulment links both (``replacement``)."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise TypeError(f"Not correctable: {', '.join(sorted(unknown))}")
    if (
        "amount" in changes
        and event.kind not in (EventKind.ACCEPT, EventKind.SETTLE)
        and changes["amount"] != event.amount
    ):
        raise Refused(_("This step does not take an amount of money."), "amount")
    amount = changes.get("amount", event.amount)
    if amount is not None and (
        isinstance(amount, bool) or not isinstance(amount, int) or amount < 0
    ):
        raise Refused(_("An amount of money cannot be negative."), "negative")
    fields = {name: getattr(event, name) for name in CORRECTABLE}
    fields.update(changes)
    for name in ("document_number", "issuer"):
        fields[name] = clean_text(fields[name] or "")
    if all(fields[name] == getattr(event, name) for name in CORRECTABLE):
        raise Refused(_("Nothing to correct: the values are the recorded ones."), "unchanged")
    with transaction.atomic():
        locked = lock_project(project, expected_version)
        annulment = _annul(locked, actor=actor, reason=reason, event=event, correction=fields)
        if dry_run:
            transaction.set_rollback(True)
    project.refresh_from_db()
    return annulment
