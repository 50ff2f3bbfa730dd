"""Reminders: who is told about which obligation on which day. ``due_reminders`` is the clean
function the e-mail digest calls (what each user should hear about today); ``record`` writes
the ``Reminder`` log so that no obligation is reminded twice to the same user the same day."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from khuyencong.deadlines import obligations
from khuyencong.deadlines.models import Reminder


@dataclass(frozen=True)
class Due:
    obligation: obligations.Obligation
    users: tuple[Any, ...]


def due_reminders(
    as_of: datetime.date, items: list[obligations.Obligation] | None = None
) -> list[Due]:
    """The open obligations on ``as_of`` that are late or within their lead time, each with
    its responsible users (every obligation computed in one run)."""
    if items is None:
        items = obligations.compute(as_of)
    gatherer_rules = obligations.rules_on(as_of)
    open_items = [
        item for item in obligations.open_obligations(items) if _within_lead(item, gatherer_rules)
    ]
    responsible = obligations.Responsible({item.role for item in open_items})
    return [Due(item, tuple(responsible.users(item))) for item in open_items]


def _within_lead(item: obligations.Obligation, rules: obligations.Rules) -> bool:
    rule = rules.rule(item.kind, item.province_id)
    lead = rule.lead_days if rule is not None else 0
    assert item.as_of is not None
    return item.due - datetime.timedelta(days=lead) <= item.as_of


def by_user(dues: list[Due]) -> dict[Any, list[obligations.Obligation]]:
    """What each user is reminded of: the digest's content."""
    result: dict[Any, list[obligations.Obligation]] = defaultdict(list)
    for due in dues:
        for user in due.users:
            result[user].append(due.obligation)
    return dict(result)


def record(dues: list[Due], day: datetime.date) -> int:
    """Log the reminders of ``day``; those already logged are left alone. Returns how many
    new ones were made."""
    rows = [
        Reminder(
            obligation_key=due.obligation.key,
            kind=due.obligation.kind,
            user_id=user.pk,
            day=day,
            due=due.obligation.due,
            late_days=due.obligation.late_days,
        )
        for due in dues
        for user in due.users
    ]
    if not rows:
        return 0
    with transaction.atomic():
        before = Reminder.objects.filter(day=day).count()
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        return Reminder.objects.filter(day=day).count() - before
