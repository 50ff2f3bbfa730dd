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

from dataclasses import dataclass

from django.utils.translation import gettext as _

from khuyencong.projects.lifecycle import Refused
from khuyencong.registrations.models import EventKind, Status

__all__ = ["STEPS", "Refused", "Step", "check_step", "step_for"]


@dataclass(frozen=True)
class Step:
    kind: str  # EventKind
    sources: frozenset[str]
    target: str  # Status
    permission: str  # a name in accounts.roles.PERMISSIONS
    needs_reason: bool = False


S = Status
K = EventKind
REGISTER = "registrations.register"

# fmt: off
STEPS: tuple[Step, ...] = (
    Step(K.SUBMIT, frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, REGISTER),
    Step(K.RETURN, frozenset({S.SUBMITTED}), S.RETURNED, "registrations.receive", True),
    Step(K.WITHDRAW, frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED}), S.WITHDRAWN,
         REGISTER, True),
    Step(K.ACCEPT, frozenset({S.SUBMITTED}), S.ACCEPTED, "registrations.decide"),
    Step(K.REDUCE, frozenset({S.SUBMITTED}), S.ACCEPTED, "registrations.decide", True),
    Step(K.REJECT, frozenset({S.SUBMITTED}), S.REJECTED, "registrations.decide", True),
    Step(K.APPROVE, frozenset({S.ACCEPTED}), S.APPROVED, "plans.approve_{fund}"),
)
# fmt: on

BY_KIND = {step.kind: step for step in STEPS}
assert len(BY_KIND) == len(STEPS), "one row per step"

APPRAISABLE = frozenset({S.SUBMITTED})  # appraisal sheets are written while submitted
EDITABLE = frozenset({S.DRAFT, S.RETURNED})


def step_for(kind: str) -> Step:
    try:
        return BY_KIND[kind]
    except KeyError:
        raise Refused(_("“%(kind)s” is not a registration step.") % {"kind": kind}) from None


def check_step(step: Step, status: str, reason: str = "") -> None:
    """Refuse a step the table does not allow from ``status`` (or one missing its reason)."""
    if status not in step.sources:
        raise Refused(
            _("“%(step)s” is not possible while the registration is “%(status)s”.")
            % {"step": EventKind(step.kind).label, "status": Status(status).label},
            "illegal",
        )
    if step.needs_reason and not reason.strip():
        raise Refused(_("Give the reason for this step."), "reason")


def available(status: str) -> list[Step]:
    """Steps allowed from ``status`` (the UI's buttons; permissions still apply)."""
    return [step for step in STEPS if status in step.sources]
