"""``contest|openable_by:user``: whether the user may open a contest's page (its breadcrumb
links to it only then). A beneficiary's certificates are listed by its support history
(dashboard/support_history.py)."""

from __future__ import annotations

from typing import Any

from django import template

from khuyencong.contests.selectors import can_see_contest

register = template.Library()


@register.filter
def openable_by(contest: Any, user: Any) -> bool:
    """Whether ``user`` may open ``contest``'s page (a judge, an entrant, its area's staff)."""
    return can_see_contest(user, contest)
