"""Trust-walk registrations of the plan forms (the list and detail pages are registered in
tests/trust/routes_builtin.py). The world's plans are local-fund plans, already approved."""

from __future__ import annotations

from typing import Any

from khuyencong.accounts import roles
from tests.trust.routes import Route, register


def _approve(user: Any, plan: Any) -> bool:
    """The view's rule: approving (or adjusting) needs the permission of the plan's fund."""
    return roles.check(user, f"plans.approve_{plan.fund}", plan).allowed


register(
    Route("plans:create", "plans.manage"),
    Route("plans:edit", "plans.manage", obj="plan"),
    Route(
        "plans:submit",
        "plans.manage",
        obj="plan",
        method="post",
        data=lambda world, side, plan: {"expected_version": plan.version},
    ),
    Route("plans:approve", "plans.approve_local", obj="plan", allow=_approve),
    Route("plans:add_version", "plans.approve_local", obj="plan", allow=_approve),
)
