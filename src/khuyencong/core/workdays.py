"""Vietnamese working days: pure date arithmetic over a calendar given as data.

A working day is Monday to Friday, unless it is a day off (a public holiday, a compensatory
day "nghỉ bù", or a day swapped for a Saturday), and also a Saturday or Sunday that the
Government made a working day in exchange ("làm bù"). The days themselves are data:
``core.models.PublicHoliday`` rows, loaded with ``WorkCalendar.from_database()``; nothing
here knows a date.

Counting rule (the usual reading of "within N working days of <date>", as in TT 26/2014
Art. 20 for complaints): the day of the event does not count; the period ends at the end of
the N-th working day after it. ``add_working_days(Friday 6/4/2018, 1)`` is Monday 9/4/2018.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from khuyencong.core.models import PublicHoliday

SATURDAY = 5


@dataclass(frozen=True)
class WorkCalendar:
    """Days off on weekdays and worked weekend days (both sets of dates)."""

    holidays: frozenset[datetime.date] = field(default_factory=frozenset)
    working_weekend_days: frozenset[datetime.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "working_weekend_days", frozenset(self.working_weekend_days))

    @classmethod
    def from_database(cls) -> WorkCalendar:
        """The calendar from the ``PublicHoliday`` rows (archived rows ignored)."""
        rows = PublicHoliday.objects.active().values_list("date", "kind")
        worked = {day for day, kind in rows if kind == PublicHoliday.Kind.MAKE_UP_WORKING_DAY}
        holidays = {day for day, kind in rows if kind != PublicHoliday.Kind.MAKE_UP_WORKING_DAY}
        return cls(frozenset(holidays), frozenset(worked))

    def is_working_day(self, day: datetime.date) -> bool:
        if day.weekday() >= SATURDAY:
            return day in self.working_weekend_days
        return day not in self.holidays


def _calendar(holidays: WorkCalendar | Iterable[datetime.date] | None) -> WorkCalendar:
    if isinstance(holidays, WorkCalendar):
        return holidays
    return WorkCalendar(frozenset(holidays or ()))


def is_working_day(
    day: datetime.date, holidays: WorkCalendar | Iterable[datetime.date] | None = None
) -> bool:
    return _calendar(holidays).is_working_day(day)


def add_working_days(
    start: datetime.date,
    n: int,
    holidays: WorkCalendar | Iterable[datetime.date] | None = None,
) -> datetime.date:
    """The N-th working day after ``start`` (``start`` itself never counts).

    ``n`` = 0 gives ``start`` back. ``holidays`` is a ``WorkCalendar`` or a collection of
    dates off (weekends are off anyway).
    """
    if n < 0:
        raise ValueError("the number of working days is not negative")
    calendar = _calendar(holidays)
    day = start
    remaining = n
    while remaining:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(
    start: datetime.date,
    end: datetime.date,
    holidays: WorkCalendar | Iterable[datetime.date] | None = None,
) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``).

    The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    calendar = _calendar(holidays)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count
