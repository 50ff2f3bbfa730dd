"""Participants of group projects (đề án lập theo nhóm, TT 36/2013 Art. 2 and 10).

A group project is approved with a content, an amount and a number of units to support, but
no beneficiary. The department then attaches each participant by a dated decision, with its
own support amount and place; a participant leaves (a change of beneficiary, TT 36/2013
Art. 11) by another dated decision. Nothing is deleted: the record of who took part when
stays. The rules here are the only ones: the form, the API, the import and the admin call
these functions.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.core.models import lock_versioned
from khuyencong.core.money import MoneyError, format_vnd, parse_vnd
from khuyencong.core.text import clean_text
from khuyencong.core.workflow import Refused
from khuyencong.places.models import AdminUnit, scope_from_place
from khuyencong.projects import dates, lifecycle, references
from khuyencong.projects.models import (
    APPROVING,
    GroupMember,
    Project,
    ProjectKind,
    Status,
)
from khuyencong.projects.services import actor_row, date_rule, lock_project, raise_version

__all__ = ["add_member", "end_membership", "members_on"]

# a participant joins a group project that was approved and is not over
CLOSED = frozenset({Status.SETTLED, Status.STOPPED})


def members_on(project: Project, day: datetime.date | None = None) -> list[GroupMember]:
    """The project's participants on ``day`` (None: today's), in the order they joined."""
    return list(
        GroupMember.objects.on(day)
        .filter(project=project)
        .select_related("beneficiary", "place__parent__parent")
        .order_by("joined_on", "id")
    )


def _check_decision(number: str, day: Any, field: str) -> str:
    number = clean_text(number)
    if not number:
        raise Refused(_("Enter the number of the department's decision."), field)
    if not isinstance(day, datetime.date):
        raise Refused(_("Enter the date of the department's decision."), field)
    return number


def add_member(
    *,
    project: Project,
    actor: Any,
    beneficiary: Any,
    place: AdminUnit,
    support_amount: int,
    decision_number: str,
    decision_date: datetime.date,
    issuer: str = "Sở Công Thương",
    joined_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> GroupMember:
    """Attach a participant to an approved group project by the department's decision.

    Refused: a project that is not a group project, not approved by ``joined_on`` or already
    settled or stopped; a beneficiary already taking part; a place outside the project's
    province or not a unit on that day; support beyond what the project still has for its
    participants; more participants than the approval planned."""
    decision_number = _check_decision(decision_number, decision_date, "decision")
    joined_on = joined_on or decision_date
    if joined_on < decision_date:
        raise Refused(_("A participant joins on or after the decision's date."), "joined_on")
    try:
        amount = parse_vnd(support_amount)
    except MoneyError as error:
        raise Refused(str(error), "support_amount") from None
    with transaction.atomic():
        locked = lock_project(project, expected_version)
        roles.require(actor, "projects.group_members", locked)
        if locked.kind != ProjectKind.GROUP:
            raise Refused(_("Only a group project has participants."), "kind")
        approval = locked.events.effective().filter(APPROVING).order_by("sequence").first()
        if approval is None or approval.effective_date > joined_on:
            raise Refused(_("Participants are added once the group project is approved."), "status")
        if locked.status in CLOSED:
            raise Refused(
                _("This group project is settled or stopped: no participant can join."),
                "status",
            )
        rule = date_rule(locked)
        dates.check(rule, decision_date, "decision_date")
        dates.check(rule, joined_on, "joined_on")
        references.check_project(actor, beneficiary=beneficiary)
        family = AdminUnit.province_family_ids(locked.province_id)
        if beneficiary.province_id not in family:
            raise Refused(_("The beneficiary is outside the project's province."), "beneficiary")
        if not place.is_valid_on(joined_on):
            raise Refused(
                _("%(place)s was not an administrative unit on %(date)s.")
                % {"place": place.name, "date": lifecycle.day_text(joined_on)},
                "place",
            )
        if scope_from_place(place)[0] not in family:
            raise Refused(_("The place is outside the project's province."), "place")
        current = GroupMember.objects.on(None).filter(project=locked)
        if current.filter(beneficiary=beneficiary).exists():
            raise Refused(_("This beneficiary already takes part in the project."), "beneficiary")
        if locked.group_size is not None and current.count() >= locked.group_size:
            raise Refused(
                _("The approval plans %(count)s participants: all are attached.")
                % {"count": locked.group_size},
                "group_size",
            )
        held = current.aggregate(total=Sum("support_amount"))["total"] or 0
        available = locked.budget.support
        if held + amount > available:
            raise Refused(
                _(
                    "The participants' support would reach %(total)s, above the project's "
                    "support of %(support)s."
                )
                % {"total": format_vnd(held + amount), "support": format_vnd(available)},
                "support_amount",
            )
        member = GroupMember(
            project=locked,
            beneficiary=beneficiary,
            place=place,
            support_amount=amount,
            joined_on=joined_on,
            decision_number=decision_number,
            decision_date=decision_date,
            issuer=clean_text(issuer) or "Sở Công Thương",
        )
        member._history_user = actor_row(actor)
        member.save()
        raise_version(locked)
    project.refresh_from_db()
    return member


def end_membership(
    *,
    member: GroupMember,
    actor: Any,
    left_on: datetime.date,
    decision_number: str,
    reason: str,
    expected_version: int | None = None,
) -> GroupMember:
    """A participant leaves the group project by the department's decision (kept, dated)."""
    decision_number = _check_decision(decision_number, left_on, "decision")
    reason = clean_text(reason)
    if not reason:
        raise Refused(_("Say why the participant leaves."), "reason")
    with transaction.atomic():
        locked = lock_project(member.project, None)
        roles.require(actor, "projects.group_members", locked)
        # the version first: a second writer of the same form learns someone saved meanwhile
        row = lock_versioned(member, expected_version)
        if row.left_on is not None:
            raise Refused(_("This participant has already left."), "left_on")
        if left_on < row.joined_on:
            raise Refused(_("A participant leaves on or after the day it joined."), "left_on")
        dates.check(date_rule(locked), left_on, "left_on")
        row.left_on = left_on
        row.leave_decision_number = decision_number
        row.leave_reason = reason
        row._history_user = actor_row(actor)
        row.save_versioned(row.version)
        raise_version(locked)
    member.refresh_from_db()
    return member
