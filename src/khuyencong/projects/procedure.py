"""A province's own procedure for its local-fund projects, as dated data.

The national table (``lifecycle.TRANSITIONS`` with ``accounts.roles.PERMISSIONS``) says who
records each step. A province may set, for its local-fund (and other non-national) projects,
from a date: which roles record each step (``ProcedureStep``: the transitions grouped as a
user thinks of them), whether the step needs its document (its number), and its own
deadline in days (stored for the deadline reminders). National-fund steps keep the national
rules, whatever the province says.

**The rule of the step's date decides**: the province row with the latest ``valid_from`` on or
before the step's effective date (``rule_for``); a project accepted before a change keeps the
rule it was accepted under. This module is the ONE answer to "may this user record this step
on this project on this day?" (``check``/``require``): the services (form, API, import, admin
all write through them) refuse with it, and the project page's buttons and the step forms ask
the same question (the day the form offers).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, Subquery
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role
from khuyencong.core.text import clean_text, day_text
from khuyencong.core.workflow import Refused
from khuyencong.places.models import AdminUnit, AdminUnitSuccession, Level
from khuyencong.projects import lifecycle
from khuyencong.projects.models import EventKind, ProcedureStep, ProvinceProcedureStep

PROGRESS = "progress"  # the progress form's "kind" (``services.record_progress``)

# the lifecycle's steps, grouped as a user thinks of them (every step but the import baseline)
STEP_KINDS: dict[str, tuple[str, ...]] = {
    ProcedureStep.APPRAISE: (EventKind.APPRAISE,),
    ProcedureStep.APPROVE: (EventKind.APPROVE,),
    ProcedureStep.ASSIGN: (EventKind.ASSIGN,),
    ProcedureStep.CONTRACT: (EventKind.CONTRACT,),
    ProcedureStep.IMPLEMENT: (EventKind.START, PROGRESS),
    ProcedureStep.ACCEPT: (EventKind.ACCEPT,),
    ProcedureStep.SETTLE: (EventKind.SETTLE,),
    ProcedureStep.REQUEST: (
        EventKind.REQUEST_ADJUSTMENT,
        EventKind.REQUEST_STOP,
        EventKind.UNDER_REVIEW,
    ),
    ProcedureStep.DECIDE_REQUEST: (
        EventKind.APPROVE_ADJUSTMENT,
        EventKind.REFUSE_ADJUSTMENT,
        EventKind.APPROVE_STOP,
        EventKind.REFUSE_STOP,
    ),
}
STEP_OF: dict[str, str] = {kind: step for step, kinds in STEP_KINDS.items() for kind in kinds}
# a step with no document field (the progress form): its document cannot be required
NO_DOCUMENT_STEPS = frozenset({ProcedureStep.IMPLEMENT})
# the roles a province may name (the system administrator always may record a step)
PROVINCE_ROLES = (
    Role.NATIONAL_AGENCY,
    Role.DEPARTMENT_LEADER,
    Role.CENTRE_STAFF,
    Role.DISTRICT_OFFICER,
)
ALWAYS = frozenset({Role.SYSTEM_ADMIN})
MAX_DEADLINE_DAYS = 3650
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the dates a change may apply from


def national_permission(kind: str, fund: str) -> str:
    if kind == PROGRESS:
        return lifecycle.PROGRESS_PERMISSION
    return lifecycle.transition_for(kind).permission_for(fund)


def national_roles(step: str) -> frozenset[Role]:
    """Who records ``step`` of a local-fund project under the national table (the kinds of a
    step share one permission)."""
    return frozenset(roles.PERMISSIONS[national_permission(STEP_KINDS[step][0], "local")])


def national_document_kinds(step: str) -> frozenset[str]:
    """The kinds of ``step`` whose document number the national table requires."""
    return frozenset(
        kind
        for kind in STEP_KINDS[step]
        if kind != PROGRESS and lifecycle.document_given in lifecycle.transition_for(kind).guards
    )


@dataclass(frozen=True)
class Rule:
    """A step's rule in force on a day: the province's row, or the national default."""

    step: str
    roles: frozenset[str]
    document_required: bool  # the province's own requirement (the document's number)
    deadline_days: int | None = None
    valid_from: datetime.date | None = None  # None: the national default
    row: ProvinceProcedureStep | None = None

    @property
    def is_national(self) -> bool:
        return self.row is None

    @property
    def label(self) -> str:
        return str(ProcedureStep(self.step).label)

    @property
    def role_labels(self) -> list[str]:
        return roles.role_names(self.roles | ALWAYS)

    @property
    def document_text(self) -> str:
        """Whether the step needs a document, in words (national requirements included)."""
        return document_words(self.step, self.document_required)

    @property
    def national_document_text(self) -> str:
        return document_words(self.step, False)


def document_words(step: str, province_required: bool) -> str:
    national = national_document_kinds(step)
    if province_required:
        return _("Yes, by the province's rule")
    if national == frozenset(STEP_KINDS[step]):
        return _("Yes, by the national rule")
    if national:
        return _("For approvals, by the national rule")
    return _("No document")


def national_rule(step: str) -> Rule:
    return Rule(step=step, roles=frozenset(national_roles(step)), document_required=False)


def from_row(row: ProvinceProcedureStep) -> Rule:
    return Rule(
        step=row.step,
        roles=frozenset(row.roles),
        document_required=row.document_required and row.step not in NO_DOCUMENT_STEPS,
        deadline_days=row.deadline_days,
        valid_from=row.valid_from,
        row=row,
    )


def _rows(province_id: int, day: datetime.date) -> Any:
    """The province's rows in force on ``day``, newest first, with those of the province it
    was merged into in 2025 (one query)."""
    merged_into = AdminUnitSuccession.objects.filter(
        predecessor_id=province_id, successor__level=Level.PROVINCE
    ).values("successor_id")
    return (
        ProvinceProcedureStep.objects.active()
        .filter(Q(province_id=province_id) | Q(province_id__in=Subquery(merged_into)))
        .filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from", "-pk")
    )


def procedure_on(province_id: int, day: datetime.date) -> dict[str, Rule]:
    """Every step's rule in force in ``province_id`` on ``day`` (one query)."""
    rules: dict[str, Rule] = {}
    for row in _rows(province_id, day):
        rules.setdefault(row.step, from_row(row))
    return {step: rules.get(step) or national_rule(step) for step in ProcedureStep.values}


def rule_for(province_id: int, step: str, day: datetime.date) -> Rule:
    row = _rows(province_id, day).filter(step=step).first()
    return from_row(row) if row is not None else national_rule(step)


def applies_to(project: Any) -> bool:
    """Whether the province's procedure governs ``project`` (not a national-fund one)."""
    return project.fund != "national"


def check(
    actor: Any,
    project: Any,
    kind: str,
    day: datetime.date,
    rules: Mapping[str, Rule] | None = None,
) -> roles.Decision:
    """May ``actor`` record ``kind`` (a transition, or ``PROGRESS``) on ``project`` effective
    on ``day``? National-fund projects: the national table; others: the province's rule in
    force on ``day`` (the national table without one). ``rules``: ``procedure_on`` of the
    project's province on ``day``, when the caller asks for several steps."""
    permission = national_permission(kind, project.fund)
    if not applies_to(project) or kind == lifecycle.BASELINE:
        return roles.check(actor, permission, project)
    if rules is not None:
        rule = rules[STEP_OF[kind]]
    else:
        rule = rule_for(project.province_id, STEP_OF[kind], day)
    if rule.is_national:
        return roles.check(actor, permission, project)
    return roles.check_roles(actor, rule.roles | ALWAYS, project)


def require(actor: Any, project: Any, kind: str, day: datetime.date) -> None:
    """``check`` for a write: refuse with ``Refused`` ("permission") and its reason."""
    decision = check(actor, project, kind, day)
    if not decision:
        raise Refused(decision.reason, "permission")


def document_kinds(project: Any, day: datetime.date) -> frozenset[str]:
    """The kinds whose document (its number) the province requires on ``day`` for
    ``project`` (none for a national-fund project): read into ``lifecycle.Facts``."""
    if not applies_to(project) or not project.province_id:
        return frozenset()
    return frozenset(
        kind
        for step, rule in procedure_on(project.province_id, day).items()
        if rule.document_required
        for kind in STEP_KINDS[step]
        if kind != PROGRESS
    )


# --------------------------------------------------------------------------- changing it


@dataclass(frozen=True)
class StepInput:
    roles: frozenset[str]
    document_required: bool = False
    deadline_days: int | None = None


def procedure_version(province: AdminUnit) -> int:
    """A stamp of the province's procedure as last saved (its latest row), for the edit
    form: a change saved meanwhile refuses the second writer."""
    return ProvinceProcedureStep.objects.filter(province=province).aggregate(m=Max("pk"))["m"] or 0


def last_change(province: AdminUnit) -> datetime.date | None:
    return (
        ProvinceProcedureStep.objects.active()
        .filter(province=province)
        .aggregate(m=Max("valid_from"))["m"]
    )


def _clean_step(step: str, given: StepInput) -> StepInput:
    label = ProcedureStep(step).label
    chosen = frozenset(str(role) for role in given.roles)
    if not chosen:
        raise Refused(
            _("“%(step)s”: choose at least one role who records it.") % {"step": label}, "roles"
        )
    if not chosen <= {str(role) for role in PROVINCE_ROLES}:
        raise Refused(
            _("“%(step)s”: a province's procedure names only the roles offered.") % {"step": label},
            "roles",
        )
    days = given.deadline_days
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DEADLINE_DAYS
    ):
        raise Refused(
            _("“%(step)s”: a deadline is a number of days between 1 and %(max)s.")
            % {"step": label, "max": MAX_DEADLINE_DAYS},
            "deadline",
        )
    document = bool(given.document_required) and step not in NO_DOCUMENT_STEPS
    return StepInput(roles=chosen, document_required=document, deadline_days=days)


def save_procedure(
    actor: Any,
    province: AdminUnit,
    *,
    valid_from: datetime.date,
    steps: Mapping[str, StepInput],
    notes: str = "",
    expected_version: int | None = None,
) -> list[ProvinceProcedureStep]:
    """Record a change of the province's procedure from ``valid_from``: a new row for each
    step whose rule changes (a row of the same day is replaced: archived, then written
    again). Steps recorded before ``valid_from`` keep the rule of their date. Refuses a date
    before the province's last change (the rules of past dates are not rewritten), a
    change that changes nothing, and a procedure saved by someone else meanwhile."""
    roles.require(actor, "projects.procedure", province)
    if province.level != Level.PROVINCE:
        raise Refused(_("A procedure belongs to a province."), "province")
    if not isinstance(valid_from, datetime.date) or not FIRST_YEAR <= valid_from.year <= LAST_YEAR:
        raise Refused(
            _("Give the date from which the change applies (years %(first)s–%(last)s).")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            "valid_from",
        )
    unknown = set(steps) - set(ProcedureStep.values)
    if unknown:
        raise Refused(_("“%(kind)s” is not a project step.") % {"kind": sorted(unknown)[0]})
    cleaned = {step: _clean_step(step, given) for step, given in steps.items()}
    notes = clean_text(notes)
    with transaction.atomic():
        AdminUnit.objects.select_for_update().get(pk=province.pk)  # one writer at a time
        if expected_version is not None and procedure_version(province) != expected_version:
            raise Refused(
                _(
                    "Someone changed this procedure after you opened it: reload the page to "
                    "see their version."
                ),
                "conflict",
            )
        last = last_change(province)
        if last is not None and valid_from < last:
            raise Refused(
                _(
                    "A change applies from the day of the last change (%(date)s) or later: "
                    "steps recorded before keep the rule of their date."
                )
                % {"date": day_text(last)},
                "valid_from",
            )
        current = procedure_on(province.pk, valid_from)
        written = []
        for step, given in cleaned.items():
            rule = current[step]
            if (
                given.roles | ALWAYS == rule.roles | ALWAYS  # the administrator always may
                and given.document_required == rule.document_required
                and given.deadline_days == rule.deadline_days
            ):
                continue
            for same_day in ProvinceProcedureStep.objects.active().filter(
                province=province, step=step, valid_from=valid_from
            ):
                same_day._change_reason = "replaced by a change of the same day"
                same_day._history_user = actor
                same_day.archive()
            row = ProvinceProcedureStep(
                province=province,
                step=step,
                valid_from=valid_from,
                roles=[str(role) for role in Role if role in given.roles],
                document_required=given.document_required,
                deadline_days=given.deadline_days,
                notes=notes,
            )
            row._change_reason = notes or "procedure changed"
            row._history_user = actor
            row.save()
            written.append(row)
        if not written:
            raise Refused(_("Nothing to change: the procedure is already so."), "empty")
    return written


def history(province: AdminUnit) -> list[ProvinceProcedureStep]:
    """Every row ever written for the province (replaced ones too), newest change first."""
    return list(
        ProvinceProcedureStep.objects.filter(province=province).order_by(
            "-valid_from", "-created_at", "step"
        )
    )
