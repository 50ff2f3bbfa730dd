"""The one date rule for every dated write on a project (and a plan's own decisions).

A date is refused when it is
1. outside the period: before 1 January of the year before the plan's period (registration) or
   after 31 December of its last year plus ``settings.DATE_GRACE_YEARS`` (settlement, late
   payments). A project without a plan has its own years instead: from its registration year to
   the year of its end date, if later;
2. in the future: after Vietnam's today plus ``settings.DATE_FUTURE_DAYS``, unless the date is a
   plan (``KINDS``);
3. before the project's last recorded date (event or progress), when its kind follows the steps.

Pure: the services give the period, today and the last recorded date (``rule``), and the forms,
the API and the import reach it only through the services. ``check`` raises ``Refused`` with one
Vietnamese message naming the date, the bound and why.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.text import day_text
from khuyencong.core.workflow import Refused

# refusal codes (the guard names the step forms and tests already know)
OUTSIDE_PERIOD = "date_within_plan_years"
IN_FUTURE = "date_in_future"
OUT_OF_ORDER = "date_in_order"
CODES = frozenset({OUTSIDE_PERIOD, IN_FUTURE, OUT_OF_ORDER})


@dataclass(frozen=True)
class Kind:
    label: Promise
    plan: bool  # a date still to come: only the period bounds it
    follows_steps: bool  # not before the project's last recorded date


# Events and progress are one sequence (a payment dated before a step would change which rule
# applied to it); a document, an inspection visit or a participant's decision may be recorded
# after later steps, and the decision or file of a step may be older than the step itself.
# fmt: off
KINDS: dict[str, Kind] = {
    "effective_date": Kind(gettext_lazy("The effective date"), plan=False, follows_steps=True),
    "document_date": Kind(gettext_lazy("The document date"), plan=False, follows_steps=False),
    "registered_on": Kind(gettext_lazy("The registration date"), plan=False, follows_steps=False),
    "progress": Kind(gettext_lazy("The progress date"), plan=False, follows_steps=True),
    "advance": Kind(gettext_lazy("The advance date"), plan=False, follows_steps=True),
    "payment": Kind(gettext_lazy("The payment date"), plan=False, follows_steps=True),
    "planned_date": Kind(gettext_lazy("The planned inspection date"), plan=True,
                         follows_steps=False),
    "held_date": Kind(gettext_lazy("The inspection date"), plan=False, follows_steps=False),
    "follow_up_deadline": Kind(gettext_lazy("The follow-up deadline"), plan=True,
                               follows_steps=False),
    "document": Kind(gettext_lazy("The date of the document"), plan=False, follows_steps=False),
    "decision_date": Kind(gettext_lazy("The decision date"), plan=False, follows_steps=False),
    "joined_on": Kind(gettext_lazy("The joining date"), plan=False, follows_steps=False),
    "left_on": Kind(gettext_lazy("The leaving date"), plan=False, follows_steps=False),
}
# fmt: on


@dataclass(frozen=True)
class Period:
    """The years a project's dates may fall in: ``year``–``end_year`` widened by a year before
    (registration) and ``grace_years`` after."""

    year: int
    end_year: int
    grace_years: int
    of_plan: bool = True  # False: the project's own years (it has no plan)

    @property
    def first(self) -> datetime.date:
        return datetime.date(max(self.year - 1, datetime.MINYEAR), 1, 1)

    @property
    def last(self) -> datetime.date:
        return datetime.date(min(self.end_year + self.grace_years, datetime.MAXYEAR), 12, 31)

    @property
    def label(self) -> str:
        return str(self.year) if self.end_year == self.year else f"{self.year}–{self.end_year}"


def grace_years() -> int:
    return settings.DATE_GRACE_YEARS


def future_days() -> int:
    return settings.DATE_FUTURE_DAYS


def local_today() -> datetime.date:
    """Today in Vietnam (``settings.TIME_ZONE``), not the server's date."""
    return timezone.localdate()


def plan_period(year: int | None, end_year: int | None = None) -> Period | None:
    """A plan's period (``end_year``: the last year of a plan for several years)."""
    if year is None:
        return None
    return Period(year, max(end_year or year, year), grace_years())


def own_period(
    registered_on: datetime.date | None, end_date: datetime.date | None = None
) -> Period | None:
    """The years of a project without a plan: its registration year to its end date's year."""
    if registered_on is None:
        return None
    last = max(registered_on.year, end_date.year if end_date else registered_on.year)
    return Period(registered_on.year, last, grace_years(), of_plan=False)


@dataclass(frozen=True)
class Rule:
    period: Period | None
    today: datetime.date
    future_days: int
    last_recorded: datetime.date | None = None

    @property
    def latest(self) -> datetime.date:
        return self.today + datetime.timedelta(days=self.future_days)


def rule(
    period: Period | None,
    *,
    last_recorded: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Rule:
    """The rule in force now (Vietnam's today, the configured allowance)."""
    return Rule(period, today or local_today(), future_days(), last_recorded)


def problem(rule: Rule, day: datetime.date, kind: str) -> tuple[str, str] | None:
    """``(code, message)`` when ``day`` breaks the rule for a date of ``kind``, else None."""
    what = KINDS[kind]
    values = {"what": what.label, "date": day_text(day)}
    period = rule.period
    if period is not None and not period.first <= day <= period.last:
        values |= {"period": period.label, "first": period.first.year, "last": period.last.year}
        if period.of_plan:
            message = _(
                "%(what)s %(date)s is too far from the plan's period %(period)s "
                "(allowed: %(first)s to %(last)s)."
            )
        else:
            message = _(
                "%(what)s %(date)s is too far from the project's years %(period)s "
                "(allowed: %(first)s to %(last)s)."
            )
        return OUTSIDE_PERIOD, message % values
    if not what.plan and day > rule.latest:
        values |= {"latest": day_text(rule.latest), "days": rule.future_days}
        return IN_FUTURE, _(
            "%(what)s %(date)s is in the future: dates up to %(latest)s can be recorded "
            "(today plus %(days)s days)."
        ) % values
    last = rule.last_recorded
    if what.follows_steps and last is not None and day < last:
        values |= {"last": day_text(last)}
        return OUT_OF_ORDER, _(
            "%(what)s %(date)s is before the project's latest recorded step (%(last)s)."
        ) % values
    return None


class DateRefused(Refused):
    """A date the rule refuses; ``field`` names the input it came from (form field, API body
    field, import column)."""

    def __init__(self, message: str, code: str, field: str):
        super().__init__(message, code)
        self.field = field


def check(rule: Rule, day: datetime.date | None, kind: str, *, field: str = "") -> None:
    """Raise ``DateRefused`` when ``day`` (if given) breaks the rule for a date of ``kind``;
    ``field``: the input's name when it is not ``kind``."""
    if day is None:
        return
    found = problem(rule, day, kind)
    if found:
        raise DateRefused(found[1], found[0], field or kind)


def accepts(rule: Rule, day: datetime.date, kind: str) -> bool:
    return problem(rule, day, kind) is None
