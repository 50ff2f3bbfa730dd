"""Reads on projects, on any date: status, progress and money rebuilt from the event log.

``annotate_as_of`` adds the state on a day to every row: plain columns of the project's
``CurrentState`` (the log replayed to its end, kept by ``services``) when all its records fall
on or before the day, else correlated subqueries over the log. A list runs a constant number
of queries whatever its length, and can filter and sort on the as-of status.
``state_from_records`` replays rows already loaded (one project's page); ``lifecycle.replay``
is the pure implementation the tests compare against.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    F,
    Field,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.core.search import search
from khuyencong.core.text import normalize
from khuyencong.plans.models import Plan
from khuyencong.projects import lifecycle
from khuyencong.projects.lifecycle import EventFact, ProgressFact
from khuyencong.projects.models import (
    Budget,
    DisbursementKind,
    EventKind,
    ProgressUpdate,
    Project,
    ProjectEvent,
    Status,
)

FAR_FUTURE = datetime.date(9999, 12, 31)


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
        PROPOSED: _("Proposed (not yet approved)"),
        NOT_STARTED: _("Not started"),
        IN_PROGRESS: _("In progress"),
        COMPLETED: _("Completed (accepted)"),
        ADJUSTMENT_REQUESTED: _("Adjustment requested"),
        STOP_REQUESTED: _("Stop requested"),
        STOPPED: _("Stopped"),
    }


def phase_of(status: str | None, progress_percent: int) -> str | None:
    if status is None:
        return None
    if status in (Status.REGISTERED, Status.APPRAISED):
        return Phase.PROPOSED
    if lifecycle.is_not_started(status, progress_percent):
        return Phase.NOT_STARTED
    if status in (Status.CONTRACTED, Status.IN_PROGRESS):
        return Phase.IN_PROGRESS
    if status in lifecycle.COMPLETED:
        return Phase.COMPLETED
    return {
        Status.ADJUSTMENT_REQUESTED: Phase.ADJUSTMENT_REQUESTED,
        Status.STOP_REQUESTED: Phase.STOP_REQUESTED,
        Status.STOPPED: Phase.STOPPED,
    }[status]


@dataclass(frozen=True)
class ProjectState:
    """A project on a day. Money in integer VND."""

    day: datetime.date
    status: str | None  # None: not registered yet on that day
    under_review: bool
    progress_percent: int
    advanced: int
    disbursed: int
    budget: Budget
    plan_budget: int
    accepted_amount: int | None
    settled_amount: int | None
    retained_amount: int | None

    @property
    def exists(self) -> bool:
        return self.status is not None

    @property
    def not_started(self) -> bool:
        return lifecycle.is_not_started(self.status, self.progress_percent)

    @property
    def phase(self) -> str | None:
        return phase_of(self.status, self.progress_percent)

    @property
    def phase_label(self) -> str:
        return str(Phase.LABELS[self.phase]) if self.phase else ""

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label) if self.status else ""

    @property
    def allocated(self) -> int:
        return lifecycle.allocated_amount(
            self.status, self.plan_budget, self.settled_amount, self.retained_amount
        )


def _total(rows: QuerySet) -> Coalesce:
    summed = rows.values("project").annotate(total=Sum("disbursed_amount")).values("total")[:1]
    return Coalesce(Subquery(summed, output_field=BigIntegerField()), Value(0))


# ``as_of_*`` column -> (``CurrentState`` column, type)
STORED_COLUMNS: dict[str, tuple[str, type[Field]]] = {
    "as_of_status": ("status", CharField),
    "as_of_last_kind": ("last_kind", CharField),
    "as_of_progress": ("progress", IntegerField),
    "as_of_disbursed": ("disbursed", BigIntegerField),
    "as_of_advanced": ("advanced", BigIntegerField),
    "as_of_accepted": ("accepted", BigIntegerField),
    "as_of_settled": ("settled", BigIntegerField),
    "as_of_retained": ("retained", BigIntegerField),
    **{f"as_of_snapshot_{name}": (f"budget_{name}", BigIntegerField) for name in Budget._fields},
}


def log_columns(day: datetime.date | None) -> dict[str, Any]:
    """The ``STORED_COLUMNS`` of each project on ``day`` (None: every record), rebuilt from
    its event log and progress with correlated subqueries: the record the cache is made of."""
    day = day or FAR_FUTURE
    events = ProjectEvent.objects.filter(project=OuterRef("pk"), effective_date__lte=day).order_by(
        "-sequence"
    )
    progress = ProgressUpdate.objects.filter(project=OuterRef("pk"), date__lte=day)
    snapshots = events.filter(budget_national__isnull=False)
    max_progress = progress.values("project").annotate(m=Max("progress_percent")).values("m")[:1]

    def last(rows: QuerySet, column: str) -> Subquery:
        return Subquery(rows.values(column)[:1])

    return {
        "as_of_status": last(events, "to_status"),
        "as_of_last_kind": last(events, "kind"),
        "as_of_progress": Coalesce(Subquery(max_progress, output_field=IntegerField()), Value(0)),
        "as_of_disbursed": _total(progress),
        "as_of_advanced": _total(progress.filter(disbursement_kind=DisbursementKind.ADVANCE)),
        "as_of_accepted": last(events.filter(kind=EventKind.ACCEPT), "amount"),
        "as_of_settled": last(events.filter(kind=EventKind.SETTLE), "amount"),
        "as_of_retained": last(events.filter(kind=EventKind.APPROVE_STOP), "amount"),
        **{
            f"as_of_snapshot_{name}": Subquery(
                snapshots.values(f"budget_{name}")[:1], output_field=BigIntegerField()
            )
            for name in Budget._fields
        },
    }


def annotate_as_of(queryset: QuerySet, day: datetime.date | None) -> QuerySet:
    """Add ``as_of_*`` columns: the state of each project on ``day`` (None: every record).

    With ``day`` None every project reads its ``CurrentState`` row (plain columns: the
    services write one with each project and keep it in the transaction of each record).
    On a date, a project whose records all fall on or before it reads its row too; the
    others, and a project without a row, rebuild the day's state from the log
    (``log_columns``); the database evaluates only the branch a row takes.
    """
    if day is None:  # every record: the cache alone, plain columns
        columns = {
            name: F(f"current__{stored}") for name, (stored, _kind) in STORED_COLUMNS.items()
        }
        columns["as_of_status"] = F("status")  # the project's own copy: filters need no join
    else:
        log = log_columns(day)
        fresh = Q(current__through__lte=day)
        columns = {
            name: Case(
                When(fresh, then=F(f"current__{stored}")),
                default=log[name],
                output_field=kind(),
            )
            for name, (stored, kind) in STORED_COLUMNS.items()
        }
    for name in Budget._fields:  # the latest snapshot, else the budget being edited
        snapshot = columns.pop(f"as_of_snapshot_{name}")
        columns[f"as_of_budget_{name}"] = Coalesce(snapshot, F(f"budget_{name}"))
    return queryset.annotate(**columns)


def phase_expression() -> Case:
    """``projects.selectors.phase_of`` in SQL, on ``annotate_as_of`` columns."""
    not_started = [status.value for status in lifecycle.NOT_STARTED_STATUSES]
    return Case(
        When(as_of_status__in=[Status.REGISTERED, Status.APPRAISED], then=Value(Phase.PROPOSED)),
        When(Q(as_of_status__in=not_started, as_of_progress=0), then=Value(Phase.NOT_STARTED)),
        When(
            as_of_status__in=[Status.CONTRACTED, Status.IN_PROGRESS],
            then=Value(Phase.IN_PROGRESS),
        ),
        When(as_of_status__in=[Status.ACCEPTED, Status.SETTLED], then=Value(Phase.COMPLETED)),
        When(as_of_status=Status.ADJUSTMENT_REQUESTED, then=Value(Phase.ADJUSTMENT_REQUESTED)),
        When(as_of_status=Status.STOP_REQUESTED, then=Value(Phase.STOP_REQUESTED)),
        When(as_of_status=Status.STOPPED, then=Value(Phase.STOPPED)),
        default=Value(""),
        output_field=CharField(),
    )


def plan_budget_expression() -> Case:
    """The budget in the plan's funding source, as of the date (``ProjectState.plan_budget``)."""
    return Case(
        *[
            When(plan__funding_source__code=code, then=F(f"as_of_budget_{code}"))
            for code in ("national", "local", "other")
        ],
        default=Value(0),
        output_field=BigIntegerField(),
    )


def allocated_expression() -> Case:
    """``lifecycle.allocated_amount`` in SQL: nothing before approval, the settlement value
    once settled, what was disbursed once stopped, else the plan budget."""
    return Case(
        When(as_of_status__in=[Status.REGISTERED, Status.APPRAISED], then=Value(0)),
        When(as_of_status=Status.STOPPED, then=Coalesce(F("as_of_retained"), Value(0))),
        When(as_of_status=Status.SETTLED, then=Coalesce(F("as_of_settled"), Value(0))),
        default=plan_budget_expression(),
        output_field=BigIntegerField(),
    )


def counted_projects(queryset: QuerySet, day: datetime.date | None) -> QuerySet:
    """The projects of ``queryset`` the dashboard counts on ``day`` (None: every record): not
    archived, in a plan, registered by then; with their state, ``phase`` and ``allocated``.
    The dashboard's figures and the plan tallies (``services.refresh_tallies``) both start
    here."""
    return (
        annotate_as_of(queryset.filter(archived_at__isnull=True, plan__isnull=False), day)
        .filter(as_of_status__isnull=False)
        .annotate(phase=phase_expression(), allocated=allocated_expression())
    )


def state_of(project: Project, day: datetime.date | None = None) -> ProjectState:
    """The state carried by a project row annotated by ``annotate_as_of``."""
    budget = Budget(*(getattr(project, f"as_of_budget_{name}") for name in Budget._fields))
    return ProjectState(
        day=day or FAR_FUTURE,
        status=project.as_of_status,
        under_review=project.as_of_last_kind == EventKind.UNDER_REVIEW,
        progress_percent=project.as_of_progress,
        advanced=project.as_of_advanced,
        disbursed=project.as_of_disbursed,
        budget=budget,
        plan_budget=budget.in_source(project.funding_source_code),
        accepted_amount=project.as_of_accepted,
        settled_amount=project.as_of_settled,
        retained_amount=project.as_of_retained,
    )


def event_facts(events: Any, source_code: str) -> list[EventFact]:
    """``EventFact`` rows from ``ProjectEvent`` rows (in sequence order)."""
    facts = []
    for event in events:
        budget = event.budget
        facts.append(
            EventFact(
                kind=event.kind,
                effective_date=event.effective_date,
                from_status=event.from_status,
                to_status=event.to_status,
                amount=event.amount,
                plan_budget=budget.in_source(source_code) if budget is not None else None,
            )
        )
    return facts


def progress_facts(rows: Any) -> list[ProgressFact]:
    return [
        ProgressFact(
            date=row.date,
            progress_percent=row.progress_percent,
            disbursed_amount=row.disbursed_amount,
            disbursement_kind=row.disbursement_kind,
        )
        for row in rows
    ]


def state_from_records(
    project: Project,
    events: Sequence[ProjectEvent],
    progress: Sequence[ProgressUpdate],
    day: datetime.date | None,
) -> ProjectState:
    """``status_as_of`` from the project's events (in sequence order) and progress rows
    already loaded (the project page shows them anyway): a replay in Python, no query."""
    source = project.funding_source_code
    replayed = lifecycle.replay(
        event_facts(events, source),
        progress_facts(progress),
        current_plan_budget=project.budget.in_source(source),
        day=day,
    )
    budget = project.budget
    for event in events:
        if day is not None and event.effective_date > day:
            break
        budget = event.budget or budget
    return ProjectState(
        day=day or FAR_FUTURE,
        status=replayed.status,
        under_review=replayed.under_review,
        progress_percent=replayed.progress_percent,
        advanced=replayed.advanced,
        disbursed=replayed.disbursed,
        budget=budget,
        plan_budget=replayed.plan_budget,
        accepted_amount=replayed.accepted_amount,
        settled_amount=replayed.settled_amount,
        retained_amount=replayed.retained_amount,
    )


def status_as_of(project: Project, day: datetime.date | None) -> ProjectState:
    """The state of one project on ``day``, rebuilt from its events and progress."""
    row = annotate_as_of(
        Project.objects.select_related("plan__funding_source").filter(pk=project.pk), day
    ).get()
    return state_of(row, day)


# --------------------------------------------------------------------------- lists

FILTERS = {
    "year",
    "province",
    "district",
    "plan",
    "funding_source",
    "content_area",
    "status",
    "phase",
    "beneficiary_kind",
    "q",
}
ORDERINGS = {
    "code": ("code",),
    "title": ("title", "code"),
    "status": ("as_of_status", "code"),
    "progress": ("as_of_progress", "code"),
    "disbursed": ("as_of_disbursed", "code"),
    "budget": ("budget_total", "code"),
    "place": ("place__name", "code"),
}

_PHASE_STATUSES = {
    Phase.PROPOSED: (Status.REGISTERED, Status.APPRAISED),
    Phase.IN_PROGRESS: (Status.CONTRACTED, Status.IN_PROGRESS),
    Phase.COMPLETED: (Status.ACCEPTED, Status.SETTLED),
    Phase.ADJUSTMENT_REQUESTED: (Status.ADJUSTMENT_REQUESTED,),
    Phase.STOP_REQUESTED: (Status.STOP_REQUESTED,),
    Phase.STOPPED: (Status.STOPPED,),
}


def _ids(value: Any) -> list[Any]:
    if isinstance(value, list | tuple | set | frozenset):
        return [getattr(v, "pk", v) for v in value]
    return [getattr(value, "pk", value)]


def project_list(
    *,
    user: Any,
    filters: dict[str, Any] | None = None,
    as_of: datetime.date | None = None,
    order: str = "code",
) -> QuerySet:
    """Projects the user may see, with their state on ``as_of`` (``as_of_*`` columns).

    ``filters`` (all optional): year, province, district, plan, content_area (ids, objects
    or lists), funding_source and beneficiary_kind (codes), status (a Status, as of the day),
    phase (a ``Phase``), q (accent-insensitive search). Projects not registered yet on
    ``as_of`` are left out. Use ``state_of(row, as_of)`` on each row.
    """
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "", [])}
    unknown = set(filters) - FILTERS
    if unknown:
        raise ValueError(f"Unknown project filters: {', '.join(sorted(unknown))}")
    queryset = roles.scope_queryset(user, Project.objects.active())
    queryset = queryset.select_related(
        "plan__funding_source",
        "plan__province",
        "content_area",
        "beneficiary__kind",
        "implementing_unit",
        "place",
        "district",
        "province",
    )
    if "year" in filters:
        years = _ids(filters["year"])
        if connections[queryset.db].vendor == "postgresql":
            # on the joined plan: beside the list's other joins, a semi-join on the year's
            # plans cost PostgreSQL several times the join's planning, for the same plan (the
            # year's plans, then the (province, plan) index)
            queryset = queryset.filter(plan__year__in=years)
        else:
            # SQLite: the year's plans as a subquery make a province-year an index range on
            # (province, plan), where a join on the plan's year scans the province
            queryset = queryset.filter(plan_id__in=Plan.objects.filter(year__in=years).values("pk"))
    if "province" in filters:
        queryset = queryset.filter(province_id__in=_ids(filters["province"]))
    if "district" in filters:
        queryset = queryset.filter(district_id__in=_ids(filters["district"]))
    if "plan" in filters:
        queryset = queryset.filter(plan_id__in=_ids(filters["plan"]))
    if "content_area" in filters:
        ids = _ids(filters["content_area"])
        queryset = queryset.filter(Q(content_area_id__in=ids) | Q(content_area__parent_id__in=ids))
    if "funding_source" in filters:
        queryset = queryset.filter(plan__funding_source__code__in=_ids(filters["funding_source"]))
    if "beneficiary_kind" in filters:
        queryset = queryset.filter(beneficiary__kind__code__in=_ids(filters["beneficiary_kind"]))
    if "q" in filters:
        queryset = search(queryset, filters["q"])
    queryset = annotate_as_of(queryset, as_of).filter(as_of_status__isnull=False)
    if "status" in filters:
        queryset = queryset.filter(as_of_status__in=_ids(filters["status"]))
    if "phase" in filters:
        phases = _ids(filters["phase"])
        statuses = [s for phase in phases for s in _PHASE_STATUSES.get(phase, ())]
        not_started = Q(as_of_status__in=lifecycle.NOT_STARTED_STATUSES, as_of_progress=0)
        condition = Q(as_of_status__in=statuses)
        if Phase.IN_PROGRESS in phases:  # contracted with no work done yet is "not started"
            condition &= ~Q(as_of_status=Status.CONTRACTED, as_of_progress=0)
        if Phase.NOT_STARTED in phases:
            condition |= not_started
        queryset = queryset.filter(condition)
    descending = order.startswith("-")
    columns = ORDERINGS.get(order.lstrip("-"), ORDERINGS["code"])
    if columns[0] == "budget_total":
        queryset = queryset.annotate(
            budget_total=F("budget_national")
            + F("budget_local")
            + F("budget_counterpart")
            + F("budget_other")
        )
    if not filters:  # the whole list: the code index walks it in order
        return queryset.order_by(*[f"-{c}" if descending else c for c in columns])
    # Filtered: PostgreSQL would still walk the code index for ``ORDER BY code LIMIT 25``,
    # testing row after row (tens of thousands of rows for one province-year at national
    # scale). NULLS LAST/FIRST opposite to the index (these columns are never null, the order
    # is the same) lets it take the filter's index and sort the few matches.
    return queryset.order_by(
        *[F(c).desc(nulls_last=True) if descending else F(c).asc(nulls_first=True) for c in columns]
    )


def plan_states(plan: Any, as_of: datetime.date | None) -> list[tuple[Project, ProjectState]]:
    """Every active project of ``plan`` registered by ``as_of``, with its state (1 query)."""
    rows = annotate_as_of(
        Project.objects.active()
        .filter(plan=plan)
        .select_related("plan__funding_source", "beneficiary__kind", "place", "district"),
        as_of,
    ).filter(as_of_status__isnull=False)
    return [(row, state_of(row, as_of)) for row in rows.order_by("code")]


def phase_counts(states: Iterable[ProjectState]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for state in states:
        if state.phase:
            counts[state.phase] = counts.get(state.phase, 0) + 1
    return counts


def province_units(name: str) -> list[Any]:
    """Province units (any era) whose name matches ``name`` accent-insensitively."""
    from khuyencong.places.models import AdminUnit

    wanted = normalize(name)
    for prefix in ("tinh ", "thanh pho "):
        wanted = wanted.removeprefix(prefix)
    return [
        unit
        for unit in AdminUnit.objects.provinces()
        if wanted in (normalize(unit.short_name), normalize(unit.name))
    ]
