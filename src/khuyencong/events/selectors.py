"""Reads of events: lists in the user's scope and attendance counts for reports and the
dashboard (officers trained per district, establishments at fairs, booths, costs)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from khuyencong.accounts import roles
from khuyencong.events.models import Event, EventKind, Participant, ParticipantKind, held_by

SCOPE = {"province": "province", "district": "district", "beneficiary": None}


def event_list(user: Any) -> QuerySet[Event]:
    queryset = Event.objects.select_related("project", "place", "organiser")
    return roles.scope_queryset(user, queryset, **SCOPE)


def attendance_by_district(events: QuerySet[Event]) -> list[dict[str, Any]]:
    """Participants of ``events`` per district (officers, establishments, total), districts
    by name, participants without a district last ("district": None)."""
    rows = (
        Participant.objects.active()
        .filter(event__in=events)
        .values("district_id", "district__name")
        .annotate(
            officers=Count("pk", filter=Q(kind=ParticipantKind.OFFICER)),
            establishments=Count("pk", filter=Q(kind=ParticipantKind.ESTABLISHMENT)),
            total=Count("pk"),
        )
        .order_by("district__name")
    )
    result = [
        {
            "district": row["district__name"],
            "officers": row["officers"],
            "establishments": row["establishments"],
            "total": row["total"],
        }
        for row in rows
    ]
    return sorted(result, key=lambda row: (row["district"] is None, row["district"] or ""))


def officers_trained(events: QuerySet[Event], as_of: datetime.date) -> list[dict[str, Any]]:
    """Officers trained at the training conferences among ``events`` held (and finished) by
    ``as_of``, per district (districts with officers only): the figure reports and the
    dashboard show."""
    trainings = events.active().filter(kind=EventKind.TRAINING).held_by(as_of)
    return [
        {"district": row["district"], "officers": row["officers"]}
        for row in attendance_by_district(trainings)
        if row["officers"]
    ]


def officers_trained_by_district(
    *, province_ids: set[int] | frozenset[int], start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    """``officers_trained`` for the conferences starting from ``start`` in these provinces."""
    events = Event.objects.filter(province_id__in=province_ids, start_date__gte=start)
    return officers_trained(events, end)


def summary(events: QuerySet[Event], as_of: datetime.date) -> dict[str, Any]:
    """Counts for a period: events per kind held / planned by ``as_of``, participants,
    booths supported and cost (two grouped queries)."""
    events = events.active()
    held = held_by(as_of)
    rows = {
        row["kind"]: row
        for row in events.order_by()
        .values("kind")
        .annotate(
            held=Count("pk", filter=held),
            all=Count("pk"),
            booths=Sum("booths_supported", filter=held),
            cost=Sum("cost", filter=held),
        )
    }
    per_kind = {
        kind: {
            "label": label,
            "held": rows[kind]["held"] if kind in rows else 0,
            "planned": rows[kind]["all"] - rows[kind]["held"] if kind in rows else 0,
        }
        for kind, label in EventKind.choices
    }
    people = (
        Participant.objects.active()
        .filter(event__in=events.filter(held))
        .aggregate(
            officers=Count("pk", filter=Q(kind=ParticipantKind.OFFICER)),
            establishments=Count("pk", filter=Q(kind=ParticipantKind.ESTABLISHMENT)),
        )
    )
    return {
        "per_kind": per_kind,
        "officers": people["officers"],
        "establishments": people["establishments"],
        "booths": sum(row["booths"] or 0 for row in rows.values()),
        "cost": sum(row["cost"] or 0 for row in rows.values()),
    }


def dashboard_figures(
    user: Any, *, year: int, as_of: datetime.date, province_ids: Any = None
) -> dict[str, Any]:
    """The dashboard's events panel: the year's events in the user's scope (narrowed to
    ``province_ids`` when given) as of ``as_of`` — per kind held / planned, participants,
    booths, cost — and the officers trained per district."""
    events = event_list(user).filter(start_date__year=year)
    if province_ids is not None:
        events = events.filter(province_id__in=province_ids)
    figures = summary(events, as_of)
    figures["officers_by_district"] = officers_trained(events, as_of)
    return figures
