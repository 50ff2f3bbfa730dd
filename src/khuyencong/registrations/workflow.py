"""The registration workflow as data: ONE table of steps, the statuses they leave from, where
they lead, and the permission each needs. Pure: no database, no HTTP.

    draft ──submit──> submitted ──accept/reduce──> accepted ──(plan approved)──> approved
      ^                 │   │                          │
      └──(edit)── returned <┘ └──reject──> rejected     └─withdraw─> withdrawn
    draft / submitted / returned ──withdraw──> withdrawn

Appraisal sheets are recorded while a registration is submitted; the council's decision
(accept, accept with reduced support, reject) closes the appraisal. Accepted registrations go
into a plan; approving the plan approves them and creates their projects.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.workflow import Refused, Table, Transition
from khuyencong.registrations.models import EventKind, Status

__all__ = ["STEPS", "Refused", "Step", "check_step", "step_for"]

# A step is a row of the one transition shape (``core.workflow``); it has no guards here, the
# services check the rest.
Step = Transition


def _step(kind: str, sources: set[str], target: str, permission: str, reason: bool = False) -> Step:
    return Step(kind, frozenset(sources), target, permission, needs_reason=reason)


S = Status
K = EventKind
REGISTER = "registrations.register"

# fmt: off
STEPS: tuple[Step, ...] = (
    _step(K.SUBMIT, {S.DRAFT, S.RETURNED}, S.SUBMITTED, REGISTER),
    _step(K.RETURN, {S.SUBMITTED}, S.RETURNED, "registrations.receive", True),
    _step(K.WITHDRAW, {S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED}, S.WITHDRAWN, REGISTER, True),
    _step(K.ACCEPT, {S.SUBMITTED}, S.ACCEPTED, "registrations.decide"),
    _step(K.REDUCE, {S.SUBMITTED}, S.ACCEPTED, "registrations.decide", True),
    _step(K.REJECT, {S.SUBMITTED}, S.REJECTED, "registrations.decide", True),
    _step(K.APPROVE, {S.ACCEPTED}, S.APPROVED, "plans.approve_{fund}"),
)
# fmt: on

TABLE = Table(
    STEPS,
    unknown=gettext_lazy("“%(kind)s” is not a registration step."),
    illegal=gettext_lazy("“%(step)s” is not possible while the registration is “%(status)s”."),
    step_label=lambda kind: str(EventKind(kind).label),
    status_label=lambda status: str(Status(status).label),
)
BY_KIND = TABLE.by_kind

APPRAISABLE = frozenset({S.SUBMITTED})  # appraisal sheets are written while submitted
EDITABLE = frozenset({S.DRAFT, S.RETURNED})


def step_for(kind: str) -> Step:
    return TABLE.row(kind)


def check_step(step: Step, status: str, reason: str = "") -> None:
    """Refuse a step the table does not allow from ``status`` (or one missing its reason)."""
    TABLE.check(step, status)
    if step.needs_reason and not reason.strip():
        raise Refused(_("Give the reason for this step."), "reason")


def available(status: str) -> list[Step]:
    """Steps allowed from ``status`` (the UI's buttons; permissions still apply)."""
    return TABLE.available(status)
