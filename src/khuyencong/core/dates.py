"""The day a date field offers before the user types one: from the period the user works on.

A project of the 2018 plan opened in 2026 must not offer today's date: the step or the
progress it records happened in 2018. ``default_day`` keeps today when it lies in the period,
else the period's nearest end, and never a day before the last thing already recorded.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def default_day(
    first_year: int | None,
    last_year: int | None = None,
    *,
    not_before: datetime.date | None = None,
    today: datetime.date | None = None,
) -> datetime.date:
    """Today within the years ``first_year``–``last_year``; else the period's nearest end;
    no earlier than ``not_before``. Without a period: today (or ``not_before``)."""
    today = today or timezone.localdate()
    day = today
    if first_year is not None:
        start = datetime.date(first_year, 1, 1)
        end = datetime.date(last_year or first_year, 12, 31)
        day = min(max(today, start), end)
    if not_before is not None and day < not_before:
        day = not_before
    return day
