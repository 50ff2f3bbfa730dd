"""The whole demo in one call: every loader step, in order, all or nothing (``load_demo``)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from khuyencong.demo import loader
from khuyencong.demo.contests import load_bac_kan_2018_contest
from khuyencong.demo.events import load_bac_kan_2018_events
from khuyencong.demo.projects import load_bac_kan_2018_projects
from khuyencong.demo.registrations import load_bac_kan_2019_registrations
from khuyencong.demo.reports import load_bac_kan_report_settings

# Step = an idempotent function without arguments returning a summary: a line of text, or a
# dict of counts ({"projects_created": 0, "projects": 13}).
Step = Callable[[], "str | dict[str, object] | None"]
STEPS: list[Step] = [
    loader.check_admin_units,
    loader.ensure_catalogs,
    loader.load_organisations,
    loader.load_beneficiaries,
    loader.load_users,
    load_bac_kan_2018_projects,
    load_bac_kan_2018_contest,
    load_bac_kan_2018_events,
    load_bac_kan_2019_registrations,
    load_bac_kan_report_settings,
]


def _summary(step: Step, result: str | dict[str, object] | None) -> str:
    if isinstance(result, str):
        return result
    counts = ", ".join(f"{key} {value}" for key, value in (result or {}).items())
    return f"{step.__name__}: {counts}" if counts else f"{step.__name__}: ok"


def load_demo() -> list[str]:
    """Run every step (idempotent, all or nothing); returns their summaries."""
    with transaction.atomic():
        return [_summary(step, step()) for step in STEPS]


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, role label) of every demo user, for the command to print."""
    return [
        (spec.username, loader.DEMO_PASSWORD, str(spec.role.label)) for spec in loader.DEMO_USERS
    ]
