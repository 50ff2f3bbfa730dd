"""The derived state table (``models.StatePeriod``), written from the rules in ``lifecycle``.

One function writes it, ``write_states``: it reads the projects' records with plain ``values()``
queries, replays each project's log in Python at every date on which a record takes effect
(``lifecycle.replay_by_date``) and rewrites the project's rows. The services call it in the
transaction of each write; the migration that created the table, the post-migrate fill and the
benchmark's bulk generator call it too, a chunk of projects at a time (so a national data set
fits in memory). It takes the model classes as arguments so a migration can pass its
historical models.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.functions import Coalesce

from khuyencong.projects import lifecycle
from khuyencong.projects.lifecycle import EventFact, ProgressFact
from khuyencong.projects.models import Budget, source_code

CHUNK = 2000

BUDGET_FIELDS = tuple(f"budget_{name}" for name in Budget._fields)


def periods(
    events: list[EventFact], progress: list[ProgressFact], *, budget: Budget, source: str
) -> list[dict[str, Any]]:
    """The ``StatePeriod`` columns of one project (pure): one dict per date on which its
    state changes, ``valid_to`` the next one's ``valid_from`` (None for the last)."""
    rows: list[dict[str, Any]] = []
    for day, state in lifecycle.replay_by_date(
        events, progress, current_plan_budget=budget.in_source(source)
    ):
        if state.status is None:  # progress dated before the registration
            continue
        in_force = state.budget or budget
        row = {
            "status": state.status,
            "under_review": state.under_review,
            "phase": state.phase,
            "progress": state.progress_percent,
            "disbursed": state.disbursed,
            "advanced": state.advanced,
            "accepted": state.accepted_amount,
            "settled": state.settled_amount,
            "retained": state.retained_amount,
            **in_force.as_fields(),
            "plan_budget": state.plan_budget,
            "allocated": state.allocated,
        }
        if rows and all(rows[-1][key] == value for key, value in row.items()):
            continue  # nothing changed on that date: the period goes on
        if rows:
            rows[-1]["valid_to"] = day
        rows.append({"valid_from": day, "valid_to": None, **row})
    return rows


def _default_models() -> tuple[Any, Any, Any, Any]:
    from khuyencong.projects.models import ProgressUpdate, Project, ProjectEvent, StatePeriod

    return Project, ProjectEvent, ProgressUpdate, StatePeriod


def write_states(project_ids: Iterable[int], *, models: tuple[Any, ...] | None = None) -> int:
    """Rewrite the ``StatePeriod`` rows of each project from its records; returns the number
    of projects written. ``models``: (Project, ProjectEvent, ProgressUpdate, StatePeriod),
    the historical ones in a migration."""
    project_model, event_model, progress_model, state_model = models or _default_models()
    ids = sorted(set(project_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        projects = project_model.objects.filter(pk__in=chunk).values(
            "pk", "plan__funding_source__code", *BUDGET_FIELDS
        )
        events: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in (
            _effective(event_model.objects.filter(project_id__in=chunk), event_model)
            .order_by("project_id", *_replay_order(event_model))
            .values(
                "project_id",
                "kind",
                "effective_date",
                "from_status",
                "to_status",
                "amount",
                *BUDGET_FIELDS,
            )
        ):
            events[row["project_id"]].append(row)
        progress: dict[int, list[ProgressFact]] = defaultdict(list)
        for row in (
            _effective(progress_model.objects.filter(project_id__in=chunk), progress_model)
            .order_by("project_id", "date", "id")
            .values(
                "project_id", "date", "progress_percent", "disbursed_amount", "disbursement_kind"
            )
        ):
            progress[row.pop("project_id")].append(
                ProgressFact(
                    date=row["date"],
                    progress_percent=row["progress_percent"],
                    disbursed_amount=row["disbursed_amount"],
                    disbursement_kind=row["disbursement_kind"],
                )
            )
        states: list[Any] = []
        for project in projects:
            budget = Budget(*(project[name] for name in BUDGET_FIELDS))
            source = source_code(project["plan__funding_source__code"], budget)
            facts = [_event_fact(row, source) for row in events[project["pk"]]]
            states.extend(
                state_model(project_id=project["pk"], **row)
                for row in periods(facts, progress[project["pk"]], budget=budget, source=source)
            )
        with transaction.atomic():  # a project is never left without its rows
            state_model.objects.filter(project_id__in=chunk).delete()  # derived, rebuilt
            state_model.objects.bulk_create(states, batch_size=1000)
    return len(ids)


def _annulable(model: Any) -> bool:
    """Whether ``model`` knows annulments (a migration's historical model before them does
    not, and then none exists)."""
    return any(field.name == "annulment" for field in model._meta.get_fields())


def _effective(queryset: Any, model: Any) -> Any:
    """The rows not annulled (``ProjectEventQuerySet.effective``, written here for the
    historical models of a migration too)."""
    return queryset.filter(annulment__isnull=True) if _annulable(model) else queryset


def _replay_order(model: Any) -> tuple[Any, ...]:
    """``ProjectEventQuerySet.in_replay_order``: a correction in its original's place."""
    if _annulable(model):
        return (Coalesce("corrects_sequence", "sequence"), "sequence")
    return ("sequence",)


def _event_fact(row: dict[str, Any], source: str) -> EventFact:
    snapshot = None
    if row["budget_national"] is not None:
        snapshot = Budget(*(row[name] or 0 for name in BUDGET_FIELDS))
    return EventFact(
        kind=row["kind"],
        effective_date=row["effective_date"],
        from_status=row["from_status"],
        to_status=row["to_status"],
        amount=row["amount"],
        plan_budget=snapshot.in_source(source) if snapshot is not None else None,
        budget=snapshot,
    )
