"""Trust-walk registrations of the plan forms (the list and detail pages are registered in
tests/trust/routes_builtin.py). The world's plans are local-fund plans, already approved; a
draft plan per side is there for the approval form."""

from __future__ import annotations

from typing import Any

from khuyencong.accounts import roles
from khuyencong.catalog.models import FundingSource
from tests.trust.routes import Route, register
from tests.trust.world import World, marker, world_object


@world_object("plan_draft", context=True)
def _plan_draft(world: World, side: str) -> Any:
    from khuyencong.projects import plan_services as services
    from khuyencong.projects.services import SYSTEM

    return services.create_plan(
        actor=SYSTEM,
        province=world.sides[side].province,
        year={"A": 2014, "A2": 2015, "B": 2014}[side],  # the world's approved plans: 2016-17
        funding_source=FundingSource.objects.get(code="local"),
        title=f"Kế hoạch dự thảo {marker(side, 'plan_draft')}",
        ceiling=700_000_000,
    )


@world_object("plan_national", context=True)
def _plan_national(world: World, side: str) -> Any:
    """An approved national-fund plan per side, for the allocation (batch) form."""
    import datetime

    from khuyencong.projects import plan_services as services
    from khuyencong.projects.services import SYSTEM

    year = {"A": 2016, "A2": 2017, "B": 2016}[side]
    plan = services.create_plan(
        actor=SYSTEM,
        province=world.sides[side].province,
        year=year,
        funding_source=FundingSource.objects.get(code="national"),
        title=f"Kế hoạch KCQG {marker(side, 'plan_national')}",
        ceiling=1_200_000_000,
    )
    return services.approve_plan(
        plan=plan,
        actor=SYSTEM,
        decision_number=f"{year}/QĐ-BCT",
        decision_date=datetime.date(year, 1, 2),
    )


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
    Route(
        "plans:approve",
        "plans.approve_local",
        obj="plan_draft",
        allow=_approve,
        data=lambda world, side, plan: {"decision_date": f"{plan.year - 1}-12-20"},
    ),
    Route(
        "plans:add_version",
        "plans.approve_local",
        obj="plan",
        allow=_approve,
        data=lambda world, side, plan: {
            "decision_number": "45/QĐ-UBND",
            "decision_date": f"{plan.year}-06-01",
        },
        saved=lambda plan: plan.versions.order_by("-number").first().reason,
    ),
    Route(
        "plans:allocate",
        "plans.approve_national",
        obj="plan_national",
        allow=_approve,
        data=lambda world, side, plan: {
            "document_number": "123/CCT-KCXTTM",
            "document_date": f"{plan.year}-05-10",
            "issuer": "Cục Công Thương địa phương",
            "amount": "300.000.000",
        },
        saved=lambda plan: plan.allocations.order_by("-batch").first().notes,
        unversioned="adds a new batch row; a batch recorded twice is refused by its number",
    ),
)
