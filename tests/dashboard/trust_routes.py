"""Trust-walk registration of the dashboard (see tests/trust/routes.py): one page whose
figures must count only the projects the role may see."""

from __future__ import annotations

import re
from typing import Any

from tests.trust.routes import Route, register
from tests.trust.world import World

YEAR = 2016  # the plan year of the world's projects of sides A and B (A2's is 2017)
TOTAL = re.compile(r'<div class="fs-3 fw-semibold">\s*(\d+)\s*</div>')


def _counts_only_its_scope(world: World, role: str, side: str, response: Any, text: str) -> list:
    """The dashboard of 2016 counts exactly the stored projects the role may list (by the
    world's oracle); a role whose scope has no plan (a district officer: plans have no
    district) is shown every year."""
    if response.status_code != 200:
        return []
    from khuyencong.dashboard.figures import plan_years
    from khuyencong.projects.models import Project

    projects = Project.objects.active().filter(plan__isnull=False).select_related("plan")
    if YEAR in plan_years(world.users[role]):
        projects = projects.filter(plan__year=YEAR)
    expected = sum(1 for project in projects if world.may_list(role, project))
    found = TOTAL.search(text)
    if found is None:
        return ["no project total on the dashboard"]
    if int(found[1]) != expected:
        return [f"counts {found[1]} projects of {YEAR}, the role may see {expected}"]
    return []


register(
    Route("dashboard:index", "dashboard.view", query=f"?year={YEAR}", check=_counts_only_its_scope),
)
