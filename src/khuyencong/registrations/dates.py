"""The days the registration forms offer (``core.dates.default_day``): from the registration's
period, not today. A registration for plan year Y is made, appraised and decided in Y-1 or Y
(the council's decision must fall in those years: services.decide)."""

from __future__ import annotations

import datetime
from typing import Any

from khuyencong.core.dates import default_day


def new_registration_day(target_year: int, *, today: datetime.date | None = None) -> datetime.date:
    """A new registration for ``target_year``: registered in the year before it."""
    return default_day(target_year - 1, today=today)


def registration_day(
    registration: Any,
    *,
    not_before: datetime.date | None = None,
    today: datetime.date | None = None,
) -> datetime.date:
    """A step on ``registration`` (appraisal, decision): in its period, not before it was
    registered (nor ``not_before``)."""
    floor = registration.registered_on
    if not_before is not None and (floor is None or not_before > floor):
        floor = not_before
    return default_day(
        registration.target_year - 1, registration.target_year, not_before=floor, today=today
    )
