"""Trust-walk registrations of the deadline pages (to-do, count, obligation rules, calendar
feed), with a world factory for a province's own obligation rule."""

from __future__ import annotations

import datetime
from typing import Any

from tests.trust.routes import PUBLIC, Route, register
from tests.trust.world import World, marker, world_object

D = datetime.date


@world_object("obligation_rule")
def _obligation_rule(world: World, side: str) -> Any:
    from khuyencong.deadlines.models import ObligationRule

    return ObligationRule.objects.create(
        kind="monthly_progress",
        province=world.sides[side].province,
        responsible_role="centre_staff",
        due_day=20,
        valid_from=D(2016, 1, 1),
        legal_basis=f"Quyết định {marker(side, 'obligation_rule')}",
        notes=f"Ghi chú {marker(side, 'obligation_rule')}",
    )


register(
    Route("deadlines:todo", "deadlines.view", query="?as_of=20/06/2016"),
    Route("deadlines:count", "deadlines.view"),
    Route("deadlines:rules", "deadlines.view", shows=("obligation_rule",)),
    Route("deadlines:rule_create", "deadlines.manage_rules"),
    Route(
        "deadlines:rule_edit", "deadlines.manage_rules", obj="obligation_rule", edit_field="notes"
    ),
    Route("deadlines:calendar", "deadlines.view"),
    Route(
        "deadlines:calendar_regenerate",
        "deadlines.view",
        method="post",
        unversioned="replaces the user's own feed secret; no shared record is overwritten",
    ),
    Route(
        "deadlines:calendar_revoke",
        "deadlines.view",
        method="post",
        unversioned="revokes the user's own feed; no shared record is overwritten",
    ),
    # the secret in the address is the only key: an unknown one is a 404 for everybody
    Route("deadlines:feed", PUBLIC, kwargs={"secret": "unknown-secret"}, ok=(404,)),
)
