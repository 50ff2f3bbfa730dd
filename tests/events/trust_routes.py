"""Trust-walk registrations of the event pages (training conferences, trade fairs), with a
world factory for an event held in the side's commune."""

from __future__ import annotations

import datetime
from typing import Any

from tests.trust.routes import Route, register
from tests.trust.world import World, marker, world_object

D = datetime.date


@world_object("event")
def _event(world: World, side: str) -> Any:
    from khuyencong.events.models import Event, EventKind, EventStatus, Participant, ParticipantKind

    event = Event.objects.create(
        kind=EventKind.TRAINING,
        title=f"Hội nghị {marker(side, 'event')}",
        start_date=D(2016, 9, 25),
        end_date=D(2016, 9, 26),
        status=EventStatus.HELD,
        place=world.sides[side].commune,
        venue=f"Hội trường {marker(side, 'event')}",
        organiser=world.obj("centre", side),
        notes=f"Ghi chú {marker(side, 'event')}",
    )
    Participant.objects.create(
        event=event,
        kind=ParticipantKind.OFFICER,
        name=f"Cán bộ {marker(side, 'event')}",
        district=world.sides[side].district,
    )
    return event


register(
    Route("events:list", "events.view", shows=("event",)),
    Route("events:create", "events.manage"),
    Route("events:attendance", "events.view", query="?year=2016"),
    Route("events:detail", "events.view", obj="event"),
    Route("events:edit", "events.manage", obj="event"),
    Route(
        "events:participant_add",
        "events.manage",
        obj="event",
        unversioned="adds a new participant row; nothing stored is overwritten",
    ),
    Route(
        "events:participant_import",
        "events.manage",
        obj="event",
        unversioned="adds participant rows from a workbook; nothing stored is overwritten",
    ),
)
