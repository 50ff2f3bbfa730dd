"""The project lifecycle as data: ONE table of allowed transitions, their guards and permissions.

Pure rules, no database and no HTTP. ``projects/services.py`` gathers the facts about a project
(``Facts``: its events and progress replayed), asks ``decide()`` and writes the event;
``record_progress`` asks ``check_progress()``. A refused step raises ``Refused`` with a
Vietnamese message (English msgid through gettext); the service then writes nothing.

Statuses (``models.Status``): registered → appraised → approved (in a plan) → assigned
(giao nhiệm vụ) → contracted → in_progress → accepted (nghiệm thu) → settled (quyết toán).
From any working status a project may ask for an adjustment (điều chỉnh) or to stop (xin dừng);
the decision returns it to the status it had ("RESUME") or stops it. "Not started" (chưa thực
hiện) is derived, not stored: approved/assigned/contracted with no work done as of the date.
``under_review`` is an annotation: it records that an adjustment or a stop is being considered
(the seed's "đang nghiên cứu … để xem xét xin điều chỉnh … hoặc xin dừng") without a status
change.

Money rules (integer VND): a project takes from its plan its budget in the plan's funding
source ("plan budget"). It is *allocated* from approval until it stops (then 0; disbursed money
stays disbursed) or is settled (then the settlement value). On every date the plan's allocated
money stays within the ceiling in force (``first_ceiling_breach``).

This module is the only definition of a project's status, phase (``Phase``, ``phase_of``) and
money on a date (``replay``). ``projects.states`` stores its replay on every date
(``replay_by_date``) in ``StatePeriod`` rows; SQL reads those columns and never re-implements a
rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.money import format_vnd, percent_of
from khuyencong.core.text import day_text
from khuyencong.core.workflow import Refused, Table, Transition
from khuyencong.projects import dates
from khuyencong.projects.models import Budget, DisbursementKind, EventKind, Status

RESUME = "resume"  # target: the status the project had before its pending request
SAME = "same"  # target: no status change (an annotation)
GIVEN = "given"  # target: the status the request names (an import baseline)

WORKING = frozenset({Status.APPROVED, Status.ASSIGNED, Status.CONTRACTED, Status.IN_PROGRESS})
REQUESTS = frozenset({EventKind.REQUEST_ADJUSTMENT, EventKind.REQUEST_STOP})
NOT_ALLOCATED = frozenset({Status.REGISTERED, Status.APPRAISED, Status.STOPPED})
NOT_STARTED_STATUSES = frozenset({Status.APPROVED, Status.ASSIGNED, Status.CONTRACTED})
COMPLETED = frozenset({Status.ACCEPTED, Status.SETTLED})
BUDGET_EVENTS = frozenset({EventKind.APPROVE, EventKind.APPROVE_ADJUSTMENT})
# The statuses an import baseline ("taken over from earlier records") may record: a settled
# state, not a pending request (whose "status before" would be unknown).
BASELINE_STATUSES = frozenset({
    Status.APPRAISED, Status.APPROVED, Status.ASSIGNED, Status.CONTRACTED, Status.IN_PROGRESS,
    Status.ACCEPTED, Status.SETTLED, Status.STOPPED,
})  # fmt: skip
BASELINE = EventKind.TAKEN_OVER


def _status_label(status: str | None) -> str:
    return str(Status(status).label) if status else "—"


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class EventFact:
    """What the rules need from one recorded event."""

    kind: str
    effective_date: datetime.date
    from_status: str
    to_status: str
    amount: int | None = None
    plan_budget: int | None = None  # budget snapshot in the plan's source, if the event set it
    budget: Budget | None = None  # the whole snapshot (every source), if the event set it


@dataclass(frozen=True)
class ProgressFact:
    date: datetime.date
    progress_percent: int
    disbursed_amount: int = 0
    disbursement_kind: str = DisbursementKind.ADVANCE


@dataclass(frozen=True)
class Replay:
    """A project's state rebuilt from its events and progress up to a day (pure)."""

    status: str | None
    resume_status: str | None
    under_review: bool
    last_event_date: datetime.date | None
    last_progress_date: datetime.date | None
    progress_percent: int
    advanced: int
    disbursed: int
    plan_budget: int
    accepted_amount: int | None
    settled_amount: int | None
    retained_amount: int | None = None  # for a stopped project: the money disbursed before
    budget: Budget | None = None  # the latest budget snapshot (every source), if any

    @property
    def last_activity_date(self) -> datetime.date | None:
        dates = [d for d in (self.last_event_date, self.last_progress_date) if d]
        return max(dates) if dates else None

    @property
    def allocated(self) -> int:
        return allocated_amount(
            self.status, self.plan_budget, self.settled_amount, self.retained_amount
        )

    @property
    def not_started(self) -> bool:
        return is_not_started(self.status, self.progress_percent)

    @property
    def phase(self) -> str | None:
        return phase_of(self.status, self.progress_percent)


def allocated_amount(
    status: str | None,
    plan_budget: int,
    settled_amount: int | None = None,
    retained_amount: int | None = None,
) -> int:
    """Money a project holds in its plan.

    0 before approval; its plan budget while it runs; the settlement value once settled; once
    stopped, only what was already disbursed (recorded on the stop decision): the rest is freed.
    """
    if status is None or status in NOT_ALLOCATED - {Status.STOPPED}:
        return 0
    if status == Status.STOPPED:
        return retained_amount or 0
    if status == Status.SETTLED:
        return settled_amount or 0
    return plan_budget


def is_not_started(status: str | None, progress_percent: int) -> bool:
    """ "Chưa thực hiện": approved, assigned or contracted with no work done."""
    return status in NOT_STARTED_STATUSES and progress_percent == 0


class Phase:
    """How a report groups projects on a day (a status, or the derived "not started")."""

    PROPOSED = "proposed"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ADJUSTMENT_REQUESTED = "adjustment_requested"
    STOP_REQUESTED = "stop_requested"
    STOPPED = "stopped"

    LABELS = {
        PROPOSED: gettext_lazy("Proposed (not yet approved)"),
        NOT_STARTED: gettext_lazy("Not started"),
        IN_PROGRESS: gettext_lazy("In progress"),
        COMPLETED: gettext_lazy("Completed (accepted)"),
        ADJUSTMENT_REQUESTED: gettext_lazy("Adjustment requested"),
        STOP_REQUESTED: gettext_lazy("Stop requested"),
        STOPPED: gettext_lazy("Stopped"),
    }


def phase_of(status: str | None, progress_percent: int) -> str | None:
    """The ``Phase`` of a project with ``status`` and ``progress_percent`` (None: not
    registered)."""
    if status is None:
        return None
    if status in (Status.REGISTERED, Status.APPRAISED):
        return Phase.PROPOSED
    if is_not_started(status, progress_percent):
        return Phase.NOT_STARTED
    if status in (Status.CONTRACTED, Status.IN_PROGRESS):
        return Phase.IN_PROGRESS
    if status in COMPLETED:
        return Phase.COMPLETED
    requested: dict[str, str] = {
        Status.ADJUSTMENT_REQUESTED: Phase.ADJUSTMENT_REQUESTED,
        Status.STOP_REQUESTED: Phase.STOP_REQUESTED,
        Status.STOPPED: Phase.STOPPED,
    }
    return requested[status]


def replay(
    events: Sequence[EventFact],
    progress: Sequence[ProgressFact],
    *,
    current_plan_budget: int,
    day: datetime.date | None = None,
) -> Replay:
    """Rebuild the state as of ``day`` (all records when ``None``).

    ``events`` in sequence order; ``current_plan_budget`` is the project's budget before any
    budget-fixing event (a project not approved yet is still being edited).
    """
    status: str | None = None
    resume: str | None = None
    under_review = False
    last_event = None
    plan_budget = current_plan_budget
    accepted = settled = retained = None
    budget = None
    for event in events:
        if day is not None and event.effective_date > day:
            break
        if event.kind in REQUESTS:
            resume = event.from_status
        under_review = event.kind == EventKind.UNDER_REVIEW
        status = event.to_status
        last_event = event.effective_date
        if event.plan_budget is not None:
            plan_budget = event.plan_budget
        if event.budget is not None:
            budget = event.budget
        if event.kind == EventKind.ACCEPT:
            accepted = event.amount
        if event.kind == EventKind.SETTLE:
            settled = event.amount
        if event.kind == EventKind.APPROVE_STOP:
            retained = event.amount
        if event.kind == BASELINE:  # the amount of the status it records
            if event.to_status == Status.ACCEPTED:
                accepted = event.amount
            elif event.to_status == Status.SETTLED:
                settled = event.amount
            elif event.to_status == Status.STOPPED:
                retained = event.amount
    percent = advanced = disbursed = 0
    last_progress = None
    for row in progress:
        if day is not None and row.date > day:
            continue
        percent = max(percent, row.progress_percent)
        disbursed += row.disbursed_amount
        if row.disbursement_kind == DisbursementKind.ADVANCE:
            advanced += row.disbursed_amount
        last_progress = max(last_progress or row.date, row.date)
    return Replay(
        status=status,
        resume_status=resume,
        under_review=under_review,
        last_event_date=last_event,
        last_progress_date=last_progress,
        progress_percent=percent,
        advanced=advanced,
        disbursed=disbursed,
        plan_budget=plan_budget,
        accepted_amount=accepted,
        settled_amount=settled,
        retained_amount=retained,
        budget=budget,
    )


def replay_by_date(
    events: Sequence[EventFact],
    progress: Sequence[ProgressFact],
    *,
    current_plan_budget: int,
) -> list[tuple[datetime.date, Replay]]:
    """The state from each date on which a record takes effect: (date, ``replay`` on that
    date), in date order. Before the first date the project does not exist yet."""
    days = sorted({event.effective_date for event in events} | {row.date for row in progress})
    return [
        (day, replay(events, progress, current_plan_budget=current_plan_budget, day=day))
        for day in days
    ]


def allocation_timeline(
    events: Sequence[EventFact], *, current_plan_budget: int
) -> list[tuple[datetime.date, int]]:
    """(date, allocated from that date) after each date on which the allocation may change."""
    timeline: list[tuple[datetime.date, int]] = []
    dates = sorted({event.effective_date for event in events})
    for day in dates:
        state = replay(events, (), current_plan_budget=current_plan_budget, day=day)
        value = state.allocated
        if not timeline or timeline[-1][1] != value:
            timeline.append((day, value))
    return timeline


def _step_value(steps: Sequence[tuple[datetime.date, int]], day: datetime.date) -> int:
    value = 0
    for start, amount in steps:
        if start > day:
            break
        value = amount
    return value


@dataclass(frozen=True)
class Breach:
    day: datetime.date
    allocated: int
    ceiling: int


def first_ceiling_breach(
    ceiling_steps: Sequence[tuple[datetime.date, int]],
    timelines: Iterable[Sequence[tuple[datetime.date, int]]],
) -> Breach | None:
    """The first day on which the projects' allocation exceeds the plan ceiling, if any.

    ``ceiling_steps``: (effective date, ceiling) sorted by date (later versions win);
    ``timelines``: one ``allocation_timeline`` per project. No ceiling in force means 0.
    """
    timelines = [list(t) for t in timelines]
    days = sorted({d for t in timelines for d, _a in t} | {d for d, _c in ceiling_steps})
    for day in days:
        allocated = sum(_step_value(t, day) for t in timelines)
        ceiling = _step_value(ceiling_steps, day)
        if allocated > ceiling:
            return Breach(day, allocated, ceiling)
    return None


@dataclass(frozen=True)
class Facts:
    """Everything the guards read about a project and its plan (built by the service)."""

    fund: str  # "national" | "local"
    status: str
    replay: Replay
    events: tuple[EventFact, ...]
    current_plan_budget: int
    has_plan: bool = False
    plan_year: int | None = None
    plan_end_year: int | None = None  # a plan for a period: its last year (None: plan_year)
    plan_approved: bool = False
    ceiling_steps: tuple[tuple[datetime.date, int], ...] = ()
    other_timelines: tuple[tuple[tuple[datetime.date, int], ...], ...] = ()
    advance_cap_percent: int | None = None
    dates: dates.Rule | None = None  # the date rule in force (None: the plan's, from today)
    # the steps whose document (its number) the province's own procedure requires on
    # the step's date (``projects.procedure.document_kinds``; none for national-fund projects)
    document_kinds: frozenset[str] = frozenset()


def date_rule(facts: Facts) -> dates.Rule:
    if facts.dates is not None:
        return facts.dates
    period = dates.plan_period(facts.plan_year, facts.plan_end_year)
    return dates.rule(period, last_recorded=facts.replay.last_activity_date)


@dataclass(frozen=True)
class Request:
    """A requested transition."""

    kind: str
    effective_date: datetime.date
    document_number: str = ""
    document_date: datetime.date | None = None
    reason: str = ""
    amount: int | None = None
    new_plan_budget: int | None = None  # for an approved adjustment that changes the money
    to_status: str = ""  # for an import baseline: the status the project had


@dataclass(frozen=True)
class Outcome:
    from_status: str
    to_status: str
    plan_budget_snapshot: int | None
    amount: int | None  # what the event records: accepted/settled value, money kept on a stop


Guard = Callable[[Facts, Request], str | None]


# --------------------------------------------------------------------------- guards
# Each guard returns None when satisfied, else the (translated) reason for refusing.


def date_in_order(facts: Facts, request: Request) -> str | None:
    """The effective and document dates follow the one date rule (``dates``); a document is
    dated on or before the day its step takes effect."""
    rule = date_rule(facts)
    dates.check(rule, request.effective_date, "effective_date")
    dates.check(rule, request.document_date, "document_date")
    if request.document_date and request.document_date > request.effective_date:
        return _("The document date cannot be after the effective date.")
    return None


def plan_year_problem(
    year: int | None,
    day: datetime.date,
    end_year: int | None = None,
    kind: str = "effective_date",
) -> str | None:
    """A plan's dates (its decisions, versions, allocations) keep to its period and grace
    (``dates.Period``); ``end_year``: the last year of a plan for a period of several years."""
    found = dates.problem(dates.rule(dates.plan_period(year, end_year)), day, kind)
    if found and found[0] == dates.OUTSIDE_PERIOD:
        return found[1]
    return None


def document_given(facts: Facts, request: Request) -> str | None:
    if not request.document_number.strip():
        return _("This step needs the number of its document (decision, contract, minutes).")
    return None


def province_document(facts: Facts, request: Request) -> str | None:
    """The province's procedure in force on the step's date may require its document."""
    if request.kind not in facts.document_kinds:
        return None
    if not request.document_number.strip():
        return _("The province's procedure requires this step's document: give its number.")
    return None


def reason_given(facts: Facts, request: Request) -> str | None:
    if not request.reason.strip():
        return _("Give the reason for this step.")
    return None


def no_amount(facts: Facts, request: Request) -> str | None:
    if request.amount is not None or request.new_plan_budget is not None:
        return _("This step does not take an amount of money.")
    return None


def in_approved_plan(facts: Facts, request: Request) -> str | None:
    if not facts.has_plan:
        return _("Put the project in a plan before approving it.")
    if not facts.plan_approved:
        return _("The plan has not been approved yet.")
    if facts.current_plan_budget <= 0:
        return _("The project has no budget from the plan's funding source.")
    return None


def _ceiling_breach(facts: Facts, request: Request, new_budget: int | None) -> str | None:
    proposed = EventFact(
        kind=request.kind,
        effective_date=request.effective_date,
        from_status=facts.status,
        to_status=_target(facts, request.kind, request),
        amount=request.amount,
        plan_budget=new_budget,
    )
    own = allocation_timeline(
        (*facts.events, proposed), current_plan_budget=facts.current_plan_budget
    )
    breach = first_ceiling_breach(facts.ceiling_steps, (*facts.other_timelines, own))
    if breach is None:
        return None
    return _(
        "The plan's allocated money would be %(allocated)s on %(date)s, above its ceiling "
        "of %(ceiling)s."
    ) % {
        "allocated": format_vnd(breach.allocated),
        "date": day_text(breach.day),
        "ceiling": format_vnd(breach.ceiling),
    }


def within_ceiling(facts: Facts, request: Request) -> str | None:
    return _ceiling_breach(facts, request, facts.current_plan_budget)


def work_complete(facts: Facts, request: Request) -> str | None:
    if facts.replay.progress_percent < 100:
        return _(
            "Acceptance needs all the work done (100 %%); recorded so far: %(percent)s %%."
        ) % {"percent": facts.replay.progress_percent}
    return None


def acceptance_amount_valid(facts: Facts, request: Request) -> str | None:
    amount = request.amount
    if amount is None:
        return None
    state = facts.replay
    if amount < state.disbursed or amount > state.plan_budget:
        return _(
            "The accepted value must be between the money already disbursed (%(disbursed)s) "
            "and the project's budget (%(budget)s)."
        ) % {"disbursed": format_vnd(state.disbursed), "budget": format_vnd(state.plan_budget)}
    return None


def settlement_amount_valid(facts: Facts, request: Request) -> str | None:
    amount = request.amount
    state = facts.replay
    if amount is None:
        return _("Enter the settled amount.")
    limit = state.plan_budget if state.accepted_amount is None else state.accepted_amount
    if amount > limit:
        return _(
            "The settled amount (%(amount)s) is above the budget or accepted value (%(limit)s)."
        ) % {"amount": format_vnd(amount), "limit": format_vnd(limit)}
    if amount < state.disbursed:
        return _(
            "The settled amount (%(amount)s) is below the money already disbursed (%(disbursed)s)."
        ) % {
            "amount": format_vnd(amount),
            "disbursed": format_vnd(state.disbursed),
        }
    return None


def adjusted_budget_valid(facts: Facts, request: Request) -> str | None:
    if request.amount is not None:
        return _("An adjustment changes the budget, not an amount: give the new budget.")
    new = request.new_plan_budget
    if new is None:
        return None  # the adjustment changes content or timing, not money
    state = facts.replay
    if new <= 0:
        return _("The adjusted budget must be above zero; to end the project, request a stop.")
    if new < state.disbursed:
        return _(
            "The adjusted budget (%(budget)s) is below the money already disbursed (%(disbursed)s)."
        ) % {
            "budget": format_vnd(new),
            "disbursed": format_vnd(state.disbursed),
        }
    if facts.advance_cap_percent is not None:
        cap = percent_of(new, facts.advance_cap_percent)
        if state.advanced > cap:
            return _(
                "The advances already paid (%(advanced)s) exceed %(percent)s %% of the "
                "adjusted budget (%(cap)s)."
            ) % {
                "advanced": format_vnd(state.advanced),
                "percent": facts.advance_cap_percent,
                "cap": format_vnd(cap),
            }
    return _ceiling_breach(facts, request, new)


def baseline_status_valid(facts: Facts, request: Request) -> str | None:
    if request.to_status not in BASELINE_STATUSES:
        return _("Give the status the project had (approved, contracted, accepted…).")
    return None


def baseline_amount_valid(facts: Facts, request: Request) -> str | None:
    """An accepted, settled or (for a stop) kept amount, only with the status it belongs to,
    within the project's budget; a settled status needs its amount."""
    amount, status = request.amount, request.to_status
    if request.new_plan_budget is not None:
        return _("This step does not take an amount of money.")
    if status == Status.SETTLED and amount is None:
        return _("Enter the settled amount.")
    if amount is None:
        return None
    if status not in (Status.ACCEPTED, Status.SETTLED, Status.STOPPED):
        return _("This step does not take an amount of money.")
    if amount > facts.current_plan_budget:
        return _("The amount (%(amount)s) is above the project's budget (%(budget)s).") % {
            "amount": format_vnd(amount),
            "budget": format_vnd(facts.current_plan_budget),
        }
    return None


def baseline_within_ceiling(facts: Facts, request: Request) -> str | None:
    """A baseline that holds money in a plan keeps the plan within its ceiling."""
    if not facts.has_plan or request.to_status in NOT_ALLOCATED:
        return None
    return _ceiling_breach(facts, request, facts.current_plan_budget)


# --------------------------------------------------------------------------- the table


S = Status
K = EventKind
COMMON = (date_in_order, province_document)
DECIDE = "projects.decide_{fund}"

# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    Transition(K.APPRAISE, frozenset({S.REGISTERED}), S.APPRAISED, "projects.appraise",
               (*COMMON, no_amount), "appraisal (thẩm định)"),
    Transition(K.APPROVE, frozenset({S.APPRAISED}), S.APPROVED, DECIDE,
               (*COMMON, no_amount, document_given, in_approved_plan, within_ceiling),
               "approved in the plan; budget snapshot; allocated ≤ ceiling"),
    Transition(K.ASSIGN, frozenset({S.APPROVED}), S.ASSIGNED, DECIDE,
               (*COMMON, no_amount, document_given), "giao nhiệm vụ"),
    Transition(K.CONTRACT, frozenset({S.ASSIGNED}), S.CONTRACTED, "projects.implement",
               (*COMMON, no_amount, document_given), "contract needs the assignment"),
    Transition(K.START, frozenset({S.CONTRACTED}), S.IN_PROGRESS, "projects.implement",
               (*COMMON, no_amount), "also fired by the first progress > 0 %"),
    Transition(K.ACCEPT, frozenset({S.IN_PROGRESS}), S.ACCEPTED, "projects.accept",
               (*COMMON, document_given, work_complete, acceptance_amount_valid),
               "nghiệm thu: 100 % work; optional accepted value ≤ budget"),
    Transition(K.SETTLE, frozenset({S.ACCEPTED}), S.SETTLED, "projects.settle",
               (*COMMON, document_given, settlement_amount_valid),
               "quyết toán: disbursed ≤ amount ≤ accepted value or budget"),
    Transition(K.REQUEST_ADJUSTMENT, WORKING, S.ADJUSTMENT_REQUESTED, "projects.implement",
               (*COMMON, no_amount, reason_given), "xin điều chỉnh"),
    Transition(K.APPROVE_ADJUSTMENT, frozenset({S.ADJUSTMENT_REQUESTED}), RESUME, DECIDE,
               (*COMMON, document_given, adjusted_budget_valid),
               "back to the previous status, with the new budget if any"),
    Transition(K.REFUSE_ADJUSTMENT, frozenset({S.ADJUSTMENT_REQUESTED}), RESUME, DECIDE,
               (*COMMON, no_amount, reason_given), "back to the previous status"),
    Transition(K.REQUEST_STOP, WORKING, S.STOP_REQUESTED, "projects.implement",
               (*COMMON, no_amount, reason_given), "xin dừng"),
    Transition(K.APPROVE_STOP, frozenset({S.STOP_REQUESTED}), S.STOPPED, DECIDE,
               (*COMMON, no_amount, document_given),
               "dừng thực hiện: money not yet disbursed is freed"),
    Transition(K.REFUSE_STOP, frozenset({S.STOP_REQUESTED}), RESUME, DECIDE,
               (*COMMON, no_amount, reason_given), "back to the previous status"),
    Transition(K.UNDER_REVIEW, WORKING, SAME, "projects.implement",
               (*COMMON, no_amount, reason_given),
               "annotation: adjustment or stop being considered"),
    # recorded by the system actor only (services._apply), never offered as a button
    Transition(K.TAKEN_OVER, frozenset({S.REGISTERED}), GIVEN, "projects.decide_{fund}",
               (*COMMON, baseline_status_valid, baseline_amount_valid, baseline_within_ceiling),
               "import baseline: the status a project had, from earlier records"),
)
# fmt: on

TABLE = Table(
    TRANSITIONS,
    unknown=gettext_lazy("“%(kind)s” is not a project step."),
    illegal=gettext_lazy("“%(step)s” is not possible while the project is “%(status)s”."),
    step_label=lambda kind: str(EventKind(kind).label),
    status_label=lambda status: _status_label(status),
)
BY_KIND: dict[str, Transition] = TABLE.by_kind


def transition_for(kind: str) -> Transition:
    return TABLE.row(kind)


def _target(facts: Facts, kind: str, request: Request | None = None) -> str:
    row = BY_KIND[kind]
    if row.target == GIVEN:
        return request.to_status if request is not None else facts.status
    if row.target == RESUME:
        return facts.replay.resume_status or facts.status
    if row.target == SAME:
        return facts.status
    return row.target


def check_legal(row: Transition, status: str) -> None:
    """Refuse a step the table does not allow from ``status``."""
    TABLE.check(row, status)


def decide(facts: Facts, request: Request) -> Outcome:
    """Check a requested transition against the table and its guards (permissions apart)."""
    row = transition_for(request.kind)
    check_legal(row, facts.status)
    for guard in row.guards:
        problem = guard(facts, request)
        if problem:
            raise Refused(problem, guard.__name__)
    target = _target(facts, request.kind, request)
    snapshot = None
    if request.kind == K.APPROVE or (request.kind == BASELINE and target not in NOT_ALLOCATED):
        snapshot = facts.current_plan_budget
    elif request.kind == K.APPROVE_ADJUSTMENT and request.new_plan_budget is not None:
        snapshot = request.new_plan_budget
    amount = request.amount
    if request.kind == K.APPROVE_STOP:
        amount = facts.replay.disbursed  # what was paid stays allocated; the rest is freed
    return Outcome(
        from_status=facts.status, to_status=target, plan_budget_snapshot=snapshot, amount=amount
    )


def available(status: str) -> list[Transition]:
    """The rows allowed from ``status`` (for the UI's buttons; guards still apply); never the
    import baseline, which only the system records."""
    return [row for row in TABLE.available(status) if row.kind != BASELINE]


# --------------------------------------------------------------------------- progress

PROGRESS_STATUSES = frozenset({S.CONTRACTED, S.IN_PROGRESS})
PAYMENT_STATUSES = frozenset({S.ACCEPTED, S.SETTLED})
PROGRESS_PERMISSION = "projects.implement"


@dataclass(frozen=True)
class ProgressRequest:
    date: datetime.date
    progress_percent: int
    disbursed_amount: int = 0
    disbursement_kind: str = DisbursementKind.ADVANCE
    note: str = ""


def check_progress(facts: Facts, request: ProgressRequest) -> bool:
    """Refuse a progress update the rules do not allow; return True if it starts the work.

    Before acceptance only advances (tạm ứng) are paid, within the advance cap in force;
    after acceptance only payments, within the accepted (or settled) value.
    """
    state = facts.replay
    status = facts.status
    percent, amount = request.progress_percent, request.disbursed_amount
    if not 0 <= percent <= 100:
        raise Refused(_("Work done is a percentage between 0 and 100."), "percent_range")
    if amount < 0:
        raise Refused(_("An amount of money cannot be negative."), "negative")
    kind = "progress"
    if amount:
        kind = "payment" if request.disbursement_kind == DisbursementKind.PAYMENT else "advance"
    dates.check(date_rule(facts), request.date, kind, field="date")
    if status in (S.ADJUSTMENT_REQUESTED, S.STOP_REQUESTED):
        raise Refused(
            _("Progress cannot be recorded while a request (“%(status)s”) awaits a decision.")
            % {"status": _status_label(status)},
            "pending_request",
        )
    if status not in PROGRESS_STATUSES | PAYMENT_STATUSES:
        raise Refused(
            _("Progress is recorded once the contract is signed; the project is “%(status)s”.")
            % {"status": _status_label(status)},
            "not_contracted",
        )
    if percent < state.progress_percent:
        raise Refused(
            _("Work done cannot go down (recorded so far: %(percent)s %%).")
            % {"percent": state.progress_percent},
            "percent_down",
        )
    if percent == state.progress_percent and amount == 0 and not request.note.strip():
        raise Refused(_("Nothing new to record."), "empty")
    if status in PROGRESS_STATUSES:
        if amount and request.disbursement_kind != DisbursementKind.ADVANCE:
            raise Refused(
                _("Before acceptance, money is paid as advances; the rest after acceptance."),
                "payment_before_acceptance",
            )
        if amount:
            if facts.advance_cap_percent is None:
                raise Refused(
                    _("No advance cap is configured for %(date)s.")
                    % {"date": day_text(request.date)},
                    "no_cap",
                )
            cap = percent_of(state.plan_budget, facts.advance_cap_percent)
            if state.advanced + amount > cap:
                raise Refused(
                    _(
                        "Advances would reach %(total)s, above %(percent)s %% of the support "
                        "(%(cap)s)."
                    )
                    % {
                        "total": format_vnd(state.advanced + amount),
                        "percent": facts.advance_cap_percent,
                        "cap": format_vnd(cap),
                    },
                    "advance_cap",
                )
        return status == S.CONTRACTED and percent > 0
    # accepted or settled: payments of the remainder
    if amount and request.disbursement_kind != DisbursementKind.PAYMENT:
        raise Refused(_("After acceptance, record payments, not advances."), "advance_after")
    if status == S.SETTLED:
        limit = state.settled_amount or 0
    elif state.accepted_amount is not None:
        limit = state.accepted_amount
    else:
        limit = state.plan_budget
    if state.disbursed + amount > limit:
        raise Refused(
            _("Payments would reach %(total)s, above the amount due (%(limit)s).")
            % {"total": format_vnd(state.disbursed + amount), "limit": format_vnd(limit)},
            "payment_limit",
        )
    return False


# --------------------------------------------------------------------------- annulment

ANNUL_PERMISSION = "projects.annul"


@dataclass(frozen=True)
class HistoryEvent:
    """An event of the history being checked, with the request that recorded it."""

    key: tuple[str, int]
    label: str
    fact: EventFact
    request: Request


@dataclass(frozen=True)
class HistoryProgress:
    key: tuple[str, int]
    label: str
    fact: ProgressFact
    request: ProgressRequest


HistoryRecord = HistoryEvent | HistoryProgress
FactsFor = Callable[[tuple[EventFact, ...], tuple[ProgressFact, ...], datetime.date, str], Facts]


def history_problems(records: Sequence[HistoryRecord], facts_for: FactsFor) -> dict[tuple, str]:
    """Replay ``records`` (events and progress in replay order) through the same rules that
    recorded them (``decide``, ``check_progress``); the refusal each record would get now,
    by key. ``facts_for(events, progress, day, kind)``: the facts before a record."""
    events: list[EventFact] = []
    progress: list[ProgressFact] = []
    problems: dict[tuple, str] = {}
    for record in records:
        day = (
            record.fact.date if isinstance(record, HistoryProgress) else record.fact.effective_date
        )
        if isinstance(record, HistoryEvent):
            if record.fact.kind == K.REGISTER:
                if events:
                    problems[record.key] = _("A project is registered only once.")
                events.append(record.fact)
                continue
            facts = facts_for(tuple(events), tuple(progress), day, record.fact.kind)
            try:
                outcome = decide(facts, record.request)
            except Refused as refusal:
                problems[record.key] = str(refusal.message)
            else:
                if outcome.to_status != record.fact.to_status:
                    problems[record.key] = _(
                        "It would lead to “%(status)s” instead of “%(recorded)s”."
                    ) % {
                        "status": _status_label(outcome.to_status),
                        "recorded": _status_label(record.fact.to_status),
                    }
            events.append(record.fact)
        else:
            facts = facts_for(tuple(events), tuple(progress), day, "")
            try:
                if check_progress(facts, record.request):
                    problems[record.key] = _(
                        "Work done without the “Work started” step: annul the progress "
                        "entries with work done first."
                    )
            except Refused as refusal:
                problems[record.key] = str(refusal.message)
            progress.append(record.fact)
    return problems


def annulment_problem(
    before: Sequence[HistoryRecord],
    after: Sequence[HistoryRecord],
    facts_for: FactsFor,
) -> str | None:
    """Why the history ``after`` an annulment (or a correction) is not one the rules accept,
    or None. Only what the change breaks counts: a record the rules would already refuse in
    the history ``before`` (loaded from earlier records under older rules) does not block it."""
    if not after or not isinstance(after[0], HistoryEvent) or after[0].fact.kind != K.REGISTER:
        return _("The registration cannot be annulled; archive the project instead.")
    known = history_problems(before, facts_for)
    for key, problem in history_problems(after, facts_for).items():
        if known.get(key) == problem:
            continue
        label = next(record.label for record in after if record.key == key)
        return _(
            "The remaining history would break the rules at “%(record)s”: %(problem)s "
            "Annul or correct that record first."
        ) % {
            "record": label,
            "problem": problem,
        }
    return None
