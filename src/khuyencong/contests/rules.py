"""The dated rules of the product vote, looked up for a date, and the small calculations on
them (certificate validity, complaint deadlines, jury size). The values are data rows
(``JurySizeRule``, ``ThresholdRule``, ``CertificateValidityRule``, ``ComplaintRule``,
``ScoreSheet``), never constants here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from khuyencong.contests.models import (
    CertificateValidityRule,
    ComplaintRule,
    Contest,
    JurySizeRule,
    Level,
    ScoreSheet,
    ThresholdRule,
)
from khuyencong.contests.scoring import CriterionSpec, Sheet
from khuyencong.core.workdays import WorkCalendar, add_working_days


class RuleMissing(LookupError):
    """No rule row covers the date: an administrator must add one (message is user-facing)."""


@dataclass(frozen=True)
class SizeCheck:
    allowed: bool
    message: str

    def __bool__(self) -> bool:
        return self.allowed


def _latest(queryset, day: datetime.date, what: str):
    rule = queryset.active().valid_on(day).order_by("-valid_from", "-pk").first()
    if rule is None:
        raise RuleMissing(
            _("No %(what)s is valid on %(day)s: ask the system administrator to add one.")
            % {"what": what, "day": day.strftime("%d/%m/%Y")}
        )
    return rule


def jury_size_rule(level: str, day: datetime.date) -> JurySizeRule:
    return _latest(JurySizeRule.objects.filter(level=level), day, _("jury size rule"))


def levels_on(day: datetime.date) -> list[str]:
    """The contest levels that exist on ``day`` (those with a jury size rule valid then)."""
    found = set(JurySizeRule.objects.active().valid_on(day).values_list("level", flat=True))
    return [level.value for level in Level if level.value in found]


def check_jury_size(level: str, day: datetime.date, size: int) -> SizeCheck:
    try:
        rule = jury_size_rule(level, day)
    except RuleMissing as missing:
        return SizeCheck(False, str(missing))
    if size in rule.sizes:
        return SizeCheck(True, "")
    return SizeCheck(
        False,
        _("A %(level)s jury has %(sizes)s members (%(basis)s); it has %(size)d.")
        % {
            "level": Level(level).label.lower(),
            "sizes": _(" or ").join(str(s) for s in rule.sizes),
            "basis": rule.article or _("jury size rule"),
            "size": size,
        },
    )


def check_panel_size(size: int) -> SizeCheck:
    """The judging panel has an odd number of members (TT 26/2014 Art. 11)."""
    if size > 0 and size % 2 == 1:
        return SizeCheck(True, "")
    return SizeCheck(
        False,
        _(
            "The judging panel must have an odd number of members (TT 26/2014/TT-BCT, Art. 11); "
            "it has %(size)d."
        )
        % {"size": size},
    )


def threshold_on(day: datetime.date) -> Decimal:
    return _latest(ThresholdRule.objects.all(), day, _("threshold rule")).min_average


def certificate_expiry(issued_on: datetime.date, years: int) -> datetime.date:
    """31 December of the ``years``-th year counting the year of issue: 3 years from
    14/5/2018 is 31/12/2020."""
    if years < 1:
        raise ValueError("a certificate is valid at least to the end of its year of issue")
    return datetime.date(issued_on.year + years - 1, 12, 31)


def certificate_valid_until(issued_on: datetime.date) -> datetime.date:
    rule = _latest(CertificateValidityRule.objects.all(), issued_on, _("certificate validity rule"))
    return certificate_expiry(issued_on, rule.years)


def complaint_rule(day: datetime.date) -> ComplaintRule:
    return _latest(ComplaintRule.objects.all(), day, _("complaint rule"))


def complaint_deadline(announced_on: datetime.date, calendar: WorkCalendar | None = None):
    """The last day a complaint about results announced on ``announced_on`` may be filed."""
    rule = complaint_rule(announced_on)
    calendar = calendar or WorkCalendar.from_database()
    return add_working_days(announced_on, rule.filing_working_days, calendar)


def resolution_deadline(received_on: datetime.date, calendar: WorkCalendar | None = None):
    rule = complaint_rule(received_on)
    calendar = calendar or WorkCalendar.from_database()
    return add_working_days(received_on, rule.resolution_working_days, calendar)


def default_score_sheet(day: datetime.date) -> ScoreSheet:
    return _latest(ScoreSheet.objects.all(), day, _("score sheet"))


def sheet_spec(sheet: ScoreSheet) -> Sheet:
    """The pure-module view of a score sheet (criterion codes are the criterion ids)."""
    return Sheet(
        tuple(
            CriterionSpec(str(criterion.pk), criterion.max_points, criterion.weight)
            for criterion in sheet.criteria()
        )
    )


def contest_threshold(contest: Contest) -> Decimal:
    """The threshold the contest applies: the one fixed when its panel closed, else the one
    valid on its judging date."""
    if contest.threshold is not None:
        return contest.threshold
    return threshold_on(contest.judging_on)
