"""The days a contest's forms offer (``core.dates.default_day``): from the contest's own
period, not today. A 2018 contest opened in 2026 offers its entries a day of its registration
window, its result a day after its judging, a complaint a day after the announcement."""

from __future__ import annotations

import datetime
from typing import Any

from khuyencong.core.dates import default_day


def contest_years(contest: Any) -> tuple[int, int]:
    """The years a contest's steps fall in: its year and those of its recorded dates."""
    days = [
        day
        for day in (
            contest.registration_opens,
            contest.registration_closes,
            contest.judging_on,
            contest.results_announced_on,
            contest.decision_date,
        )
        if day is not None
    ]
    years = [contest.year, *(day.year for day in days)]
    return min(years), max(years)


def contest_day(
    contest: Any, *, not_before: datetime.date | None = None, today: datetime.date | None = None
) -> datetime.date:
    return default_day(*contest_years(contest), not_before=not_before, today=today)


def entry_day(contest: Any, *, today: datetime.date | None = None) -> datetime.date:
    """A new entry's registration day: inside the registration window."""
    day = contest_day(contest, not_before=contest.registration_opens, today=today)
    return min(day, contest.registration_closes)


def result_day(contest: Any, *, today: datetime.date | None = None) -> datetime.date:
    """The day the results are announced: after the judging."""
    return contest_day(contest, not_before=contest.judging_on, today=today)


def complaint_day(contest: Any, *, today: datetime.date | None = None) -> datetime.date:
    """The day a complaint arrives: after the results are announced."""
    return contest_day(
        contest, not_before=contest.results_announced_on or contest.judging_on, today=today
    )


def decision_day(contest: Any, *, today: datetime.date | None = None) -> datetime.date:
    """The day of the recognition decision: after the results are announced."""
    return contest_day(
        contest, not_before=contest.results_announced_on or contest.judging_on, today=today
    )
