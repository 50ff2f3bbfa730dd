"""The one rule for a report's period, whatever its kind (Q1…Q4, H1, 9M, Y, or "to a date"):
the report form, the API and ``manage.py report`` all call ``check_period``, so the same input
is accepted or refused with the same Vietnamese message everywhere.

A period lies in one year, the report's plan year: any year of a plan in force, so each year
of a multi-year plan (2024 – 2026) has its Q1…Y reports. The status date (``as_of``) is the
period's last day unless given; a later day is allowed up to the end of the next year (a
report on last year's plan written in January); an earlier day is not (a "6 tháng đầu năm"
report cannot state the projects as of April: that is a report "to a date"). A year with no
plan in force is not refused here: the builder states it in the report's warnings, shown
before the report is issued (preview, API answer, command output).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from khuyencong.core.bounds import MAX_YEAR, MIN_YEAR
from khuyencong.documents import wording
from khuyencong.reports.data import Period, make_period

KINDS = (*wording.PERIOD_KINDS, wording.TO_DATE)


class PeriodRefused(ValueError):
    """The period cannot be reported on; ``field`` is the input at fault ("period", "year"
    or "as_of"), ``message`` says why (translated)."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(message)


def check_period(kind: str, year: int, as_of: datetime.date | None = None) -> Period:
    """The period of a report, or ``PeriodRefused``."""
    if kind not in KINDS:
        raise PeriodRefused("period", _("Unknown report period: %(kind)s.") % {"kind": kind})
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodRefused(
            "year",
            _("The plan year must be between %(first)s and %(last)s.")
            % {"first": MIN_YEAR, "last": MAX_YEAR},
        )
    if kind == wording.TO_DATE:
        if as_of is None:
            raise PeriodRefused("as_of", _("Give the date the report runs to."))
        if as_of.year != year:
            raise PeriodRefused("as_of", _("The date must fall in the plan year."))
        return make_period(kind, year, as_of)
    period = make_period(kind, year)
    if as_of is not None:
        if not year <= as_of.year <= year + 1:
            raise PeriodRefused("as_of", _("The date must fall in the plan year or the next one."))
        if as_of < period.end:
            raise PeriodRefused(
                "as_of",
                _(
                    "The status date cannot be before the end of the period (%(end)s): "
                    "choose “Up to a date” to report on an earlier day."
                )
                % {"end": wording.date_short(period.end)},
            )
    return period
