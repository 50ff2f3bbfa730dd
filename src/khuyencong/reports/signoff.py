"""A saved report's sign-off as data: draft → submitted for signature → signed and issued →
sent, with the leader's return of a submitted draft. Pure: no database, no request.

Who acts (``accounts.roles``): the centre (and the department) drafts and submits
(``reports.submit``); the department's leader signs and issues, or returns the draft
(``reports.sign``); the department sends (``reports.send``). The national agency does the same
for the nationwide reports it writes, and only for those: a province's report is signed by
the province (``side_problem``). An issued report is locked (``models.LOCKED_FIELDS``); a
correction is a new report citing it, which goes through sign-off again.

The deadlines by which a province's report should reach the national agency
(``DEADLINES``) are UNCONFIRMED: TT 36/2013 Art. 21(5) sets the periods (quarterly,
half-yearly, annual) but no day; the days below are the programme's working assumption
(docs/architecture.md, "Report sign-off") until the legal notes confirm them.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.workflow import Refused, Table, Transition
from khuyencong.reports.models import SIGNOFF_STEPS, SignoffStatus

__all__ = [
    "DEADLINES",
    "DEADLINES_CONFIRMED",
    "TABLE",
    "deadline",
    "is_late",
    "side_problem",
    "step_label",
]

S = SignoffStatus

TABLE = Table(
    (
        Transition("submit", frozenset({S.DRAFT}), S.SUBMITTED, "reports.submit"),
        Transition("return", frozenset({S.SUBMITTED}), S.DRAFT, "reports.sign", needs_reason=True),
        Transition("issue", frozenset({S.SUBMITTED}), S.ISSUED, "reports.sign"),
        Transition("send", frozenset({S.ISSUED}), S.SENT, "reports.send"),
    ),
    unknown=gettext_lazy("There is no sign-off step “%(kind)s”."),
    illegal=gettext_lazy("“%(step)s” cannot be done on a report that is “%(status)s”."),
    step_label=lambda kind: step_label(kind),
    status_label=lambda status: str(SignoffStatus(status).label),
)


def step_label(kind: str) -> str:
    return str(dict(SIGNOFF_STEPS).get(kind, kind))


def side_problem(*, national_user: bool, system_admin: bool, nationwide: bool) -> str | None:
    """A province's report is signed off by the province, a nationwide one by the national
    agency; the system administrator may act on both."""
    if system_admin:
        return None
    if nationwide and not national_user:
        return _("A nationwide report is signed off by the national agency.")
    if not nationwide and national_user:
        return _("A province's report is signed off by its Department of Industry and Trade.")
    return None


def check_issue(
    number: str, issued_on: datetime.date | None, as_of: datetime.date
) -> datetime.date:
    """The number and the date an issued report carries; returns the date."""
    if not number.strip():
        raise Refused(_("Enter the report's number."), "number")
    if issued_on is None:
        raise Refused(_("Enter the date of issue."), "issued_on")
    if issued_on < as_of:
        raise Refused(
            _("The date of issue cannot be before the date the report states its figures at."),
            "issued_on",
        )
    return issued_on


# Due day of a province's report to the national agency, per period: (month, day, years
# after the report's year). UNCONFIRMED (see the module's note).
DEADLINES: dict[str, tuple[int, int, int]] = {
    "Q1": (4, 15, 0),
    "Q2": (7, 15, 0),
    "H1": (7, 15, 0),
    "Q3": (10, 15, 0),
    "9M": (10, 15, 0),
    "Q4": (1, 15, 1),
    "Y": (1, 15, 1),
}
DEADLINES_CONFIRMED = False


def deadline(period: str, year: int) -> datetime.date | None:
    """The due day of a report of ``period`` of ``year`` (None: a report "to a date")."""
    rule = DEADLINES.get(period)
    if rule is None:
        return None
    month, day, later = rule
    return datetime.date(year + later, month, day)


def is_late(period: str, year: int, sent_on: datetime.date | None) -> bool:
    """Sent after its due day (a report not sent yet is not late here: it is not received)."""
    due = deadline(period, year)
    return due is not None and sent_on is not None and sent_on > due
