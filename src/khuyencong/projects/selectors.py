"""Reads on projects, on any date: status, progress and money as the rules replayed them.

Each project's state on every date is a row of ``StatePeriod``, written by ``projects.states``
from the rules in ``lifecycle`` (the only definition of status, phase and money) in the
transaction of each record. ``annotate_as_of`` joins the row valid on a day to every project
(``as_of_*`` columns, including ``as_of_phase`` and ``as_of_allocated``): a list runs a
constant number of queries whatever its length, and filters, sorts and sums on the stored
columns; SQL never re-implements a rule. ``state_of`` is the one way to get a ``ProjectState``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import F, FilteredRelation, Q, QuerySet
from django.db.models.functions import Coalesce

from khuyencong.accounts import roles
from khuyencong.core.search import search
from khuyencong.core.text import normalize
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan, covering
from khuyencong.projects import lifecycle
from khuyencong.projects.lifecycle import EventFact, Phase, ProgressFact, phase_of
from khuyencong.projects.models import Budget, Project, ProjectEvent, StatePeriod, Status
from khuyencong.projects.states import periods

__all__ = [
    "FAR_FUTURE",
    "Phase",
    "ProjectState",
    "annotate_as_of",
    "attach_states",
    "phase_of",
    "state_from_records",
    "state_of",
]

FAR_FUTURE = datetime.date(9999, 12, 31)


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


# ``as_of_*`` column -> ``StatePeriod`` column
STATE_COLUMNS: dict[str, str] = {
    "as_of_status": "status",
    "as_of_under_review": "under_review",
    "as_of_phase": "phase",
    "as_of_progress": "progress",
    "as_of_disbursed": "disbursed",
    "as_of_advanced": "advanced",
    "as_of_accepted": "accepted",
    "as_of_settled": "settled",
    "as_of_retained": "retained",
    "as_of_plan_budget": "plan_budget",
    "as_of_allocated": "allocated",
}


# ``as_of_budget_*`` column -> the project's (and ``StatePeriod``'s) column
BUDGET_COLUMNS: dict[str, str] = {
    f"as_of_budget_{name}": f"budget_{name}" for name in Budget._fields
}


def valid_on(day: datetime.date | None, prefix: str = "") -> Q:
    """The ``StatePeriod`` rows valid on ``day`` (None: the current rows)."""
    if day is None:
        return Q(**{f"{prefix}valid_to__isnull": True})
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__gt": day}) | Q(**{f"{prefix}valid_to__isnull": True})
    )


def annotate_as_of(
    queryset: QuerySet, day: datetime.date | None, columns: Iterable[str] | None = None
) -> QuerySet:
    """Add ``as_of_*`` columns: the state of each project on ``day`` (None: every record),
    read from its ``StatePeriod`` row valid that day (one join; no row: not registered by
    then, the columns are null). ``as_of_budget_*``: the budget in force (the project's own
    without a row). With ``day`` None ``as_of_status`` is the project's own copy of its
    latest status (written with the same event): filters on it need no join.

    ``columns`` (default: all) names the ``as_of_*`` columns to add: each annotation is
    resolved and compiled on every request, so a page that filters or sorts on two of them
    asks for those and reads the rest for its own rows with ``attach_states``.
    """
    wanted = {*STATE_COLUMNS, *BUDGET_COLUMNS} if columns is None else set(columns)
    annotations: dict[str, Any] = {}
    if day is None and "as_of_status" in wanted:
        annotations["as_of_status"] = F("status")
    for name, stored in STATE_COLUMNS.items():
        if name in wanted and name not in annotations:
            annotations[name] = F(f"state__{stored}")
    for name, stored in BUDGET_COLUMNS.items():
        if name in wanted:
            annotations[name] = Coalesce(F(f"state__{stored}"), F(stored))
    # every column but the current status (the project's own copy) needs the joined row
    if any(name != "as_of_status" or day is not None for name in annotations):
        queryset = queryset.annotate(
            state=FilteredRelation("states", condition=valid_on(day, "states__"))
        )
    return queryset.annotate(**annotations)


def counted_projects(queryset: QuerySet, day: datetime.date | None) -> QuerySet:
    """The projects of ``queryset`` the dashboard counts on ``day`` (None: every record): not
    archived, in a plan, registered by then; with their state, ``phase`` and ``allocated``
    (the stored ``lifecycle`` values). The dashboard's figures and the plan tallies
    (``services.refresh_tallies``) both start here."""
    return (
        annotate_as_of(queryset.filter(archived_at__isnull=True, plan__isnull=False), day)
        .filter(as_of_phase__isnull=False)
        .annotate(phase=F("as_of_phase"), allocated=F("as_of_allocated"))
    )


def _state(project: Project, day: datetime.date | None, row: Any) -> ProjectState:
    if row is None:  # not registered on that day
        return ProjectState(
            day=day or FAR_FUTURE,
            status=None,
            under_review=False,
            progress_percent=0,
            advanced=0,
            disbursed=0,
            budget=project.budget,
            plan_budget=project.plan_budget,
            accepted_amount=None,
            settled_amount=None,
            retained_amount=None,
        )
    return ProjectState(
        day=day or FAR_FUTURE,
        status=row["status"],
        under_review=row["under_review"],
        progress_percent=row["progress"],
        advanced=row["advanced"],
        disbursed=row["disbursed"],
        budget=Budget(*(row[f"budget_{name}"] for name in Budget._fields)),
        plan_budget=row["plan_budget"],
        accepted_amount=row["accepted"],
        settled_amount=row["settled"],
        retained_amount=row["retained"],
    )


STATE_FIELDS = (*STATE_COLUMNS.values(), *(f"budget_{name}" for name in Budget._fields))


def state_of(project: Project, day: datetime.date | None = None) -> ProjectState:
    """The state of ``project`` on ``day`` (None: every record): from the ``as_of_*``
    columns of a row annotated by ``annotate_as_of`` or read by ``attach_states`` (a list:
    no query), else from its ``StatePeriod`` row valid that day (one query)."""
    attached = getattr(project, "_state_on", None)
    if attached is not None and attached[0] == day:
        return attached[1]
    if all(hasattr(project, name) for name in ("as_of_progress", "as_of_budget_other")):
        if project.as_of_phase is None:
            return _state(project, day, None)
        row = {stored: getattr(project, name) for name, stored in STATE_COLUMNS.items()}
        row.update({f"budget_{n}": getattr(project, f"as_of_budget_{n}") for n in Budget._fields})
        return _state(project, day, row)
    row = (
        StatePeriod.objects.filter(valid_on(day), project=project.pk).values(*STATE_FIELDS).first()
    )
    return _state(project, day, row)


def state_from_records(
    project: Project, day: datetime.date | None, events: Any, progress: Any
) -> ProjectState:
    """The state on ``day`` (None: every record) replayed in Python from the project's
    records already loaded (its page shows them all: no query), by the function that writes
    ``StatePeriod`` (``states.periods``): the same rule, the same values as ``state_of``.
    Annulled records are left out (loaded with ``select_related("annulment")``: no query)."""
    source = project.funding_source_code
    rows = periods(
        event_facts(effective_events(events), source),
        progress_facts([row for row in progress if row.annulled is None]),
        budget=project.budget,
        source=source,
    )
    if day is None:
        return _state(project, day, rows[-1] if rows else None)
    for row in rows:
        if row["valid_from"] <= day and (row["valid_to"] is None or day < row["valid_to"]):
            return _state(project, day, row)
    return _state(project, day, None)


def attach_states(projects: Iterable[Project], day: datetime.date | None) -> list[Project]:
    """Read the state on ``day`` of each of ``projects`` (a page's rows) in one query, for
    ``state_of``: cheaper than joining every ``as_of_*`` column to the page's query."""
    projects = list(projects)
    rows = {
        row["project_id"]: row
        for row in StatePeriod.objects.filter(
            valid_on(day), project_id__in=[project.pk for project in projects]
        ).values("project_id", *STATE_FIELDS)
    }
    for project in projects:
        project._state_on = (day, _state(project, day, rows.get(project.pk)))  # type: ignore[attr-defined]
    return projects


def effective_events(events: Iterable[ProjectEvent]) -> list[ProjectEvent]:
    """The events not annulled, in replay order (``ProjectEventQuerySet.effective`` and
    ``in_replay_order`` on rows already loaded)."""
    return sorted((e for e in events if e.annulled is None), key=lambda e: e.replay_key)


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
                budget=budget,
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


def covering_any(years: Iterable[int], prefix: str = "") -> Q:
    """The plans (at ``prefix``) in force in any of ``years``: one-year plans of those years
    and plans for a period that includes one of them."""
    condition = Q()
    for year in years:
        condition |= covering(int(year), prefix)
    return condition if condition else Q(**{f"{prefix}pk__in": []})


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
    state: bool = True,
) -> QuerySet:
    """Projects the user may see, with their state on ``as_of`` (``as_of_*`` columns).

    ``filters`` (all optional): year, province, district, plan, content_area (ids, objects
    or lists), funding_source and beneficiary_kind (codes), status (a Status, as of the day),
    phase (a ``Phase``), q (accent-insensitive search). Projects not registered yet on
    ``as_of`` are left out. Use ``state_of(row, as_of)`` on each row. ``state`` False: only
    the ``as_of_*`` columns the filters and the order need (a page: ``attach_states`` on its
    rows).
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
            queryset = queryset.filter(covering_any(years, "plan__"))
        else:
            # SQLite: the year's plans as a subquery make a province-year an index range on
            # (province, plan), where a join on the plan's year scans the province
            queryset = queryset.filter(
                plan_id__in=Plan.objects.filter(covering_any(years, "")).values("pk")
            )
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
    descending = order.startswith("-")
    columns = ORDERINGS.get(order.lstrip("-"), ORDERINGS["code"])
    needed = None
    if not state:
        needed = {"as_of_status", *(c for c in columns if c.startswith("as_of_"))}
        needed |= {"as_of_phase"} if "phase" in filters else set()
    queryset = annotate_as_of(queryset, as_of, needed).filter(as_of_status__isnull=False)
    if "status" in filters:
        queryset = queryset.filter(as_of_status__in=_ids(filters["status"]))
    if "phase" in filters:
        queryset = queryset.filter(as_of_phase__in=_ids(filters["phase"]))
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
    wanted = normalize(name)
    for prefix in ("tinh ", "thanh pho "):
        wanted = wanted.removeprefix(prefix)
    return [
        unit
        for unit in AdminUnit.objects.provinces()
        if wanted in (normalize(unit.short_name), normalize(unit.name))
    ]
