"""The project page's state, replayed in Python from the records it shows, is the stored one.

``selectors.state_from_records`` saves the page a query (issue 17); it must give on every date
what ``state_of`` reads from ``StatePeriod``: both come from ``states.periods``.
"""

from __future__ import annotations

import datetime

import pytest

from khuyencong.projects import services
from khuyencong.projects.models import DisbursementKind, EventKind, Status
from khuyencong.projects.selectors import state_from_records, state_of
from tests.projects.factories import make_plan, make_project, step, walk

pytestmark = pytest.mark.django_db

D = datetime.date


def records(project):
    events = list(project.events.order_by("sequence"))
    progress = list(project.progress_updates.order_by("date", "id"))
    return events, progress


@pytest.mark.parametrize("end", [Status.SETTLED, Status.STOPPED, Status.ADJUSTMENT_REQUESTED])
def test_replayed_state_equals_the_stored_one_on_every_date(end):
    plan = make_plan(ceiling=900_000_000)
    project = make_project(plan, budget=200_000_000, counterpart=50_000_000)
    if end == Status.SETTLED:
        day = walk(project, Status.IN_PROGRESS)
        services.record_progress(
            project=project,
            actor=services.SYSTEM,
            date=day + datetime.timedelta(days=3),
            progress_percent=60,
            disbursed_amount=80_000_000,
            disbursement_kind=DisbursementKind.ADVANCE,
        )
        day += datetime.timedelta(days=5)
        services.record_progress(
            project=project, actor=services.SYSTEM, date=day, progress_percent=100
        )
        step(project, EventKind.ACCEPT, day, amount=190_000_000)
        step(project, EventKind.SETTLE, day + datetime.timedelta(days=9), amount=80_000_000)
    elif end == Status.STOPPED:
        walk(project, Status.STOPPED)
    else:
        day = walk(project, Status.ADJUSTMENT_REQUESTED)
        step(project, EventKind.REFUSE_ADJUSTMENT, day + datetime.timedelta(days=2))
    project.refresh_from_db()
    events, progress = records(project)
    first = events[0].effective_date - datetime.timedelta(days=2)
    days = [first + datetime.timedelta(days=n) for n in range(40)]
    for day in [*days, None]:
        assert state_from_records(project, day, events, progress) == state_of(project, day), day


def test_a_list_joins_only_the_state_columns_it_filters_or_sorts_on():
    """``project_list(state=False)``: the page's query joins ``StatePeriod`` only to filter
    or sort on it; ``attach_states`` then gives each row the state ``state_of`` reads from
    a fully annotated row (issue 17: each annotation is compiled on every request)."""
    from khuyencong.accounts.models import Role
    from khuyencong.projects.selectors import attach_states, project_list
    from tests.projects.factories import user

    plan = make_plan(ceiling=900_000_000)
    project = make_project(plan, budget=200_000_000)
    day = walk(project, Status.IN_PROGRESS)
    admin = user(Role.SYSTEM_ADMIN)

    def joined(**kwargs) -> bool:
        query = str(project_list(user=admin, state=False, **kwargs).query)
        return "projects_stateperiod" in query

    assert not joined()
    assert not joined(filters={"status": Status.IN_PROGRESS})  # the project's own copy
    assert joined(order="-progress")
    assert joined(filters={"phase": "in_progress"})
    assert joined(as_of=day)
    for as_of in (None, day, day - datetime.timedelta(days=3)):
        full = {row.pk: state_of(row, as_of) for row in project_list(user=admin, as_of=as_of)}
        lean = attach_states(project_list(user=admin, as_of=as_of, state=False), as_of)
        assert {row.pk: state_of(row, as_of) for row in lean} == full
        assert full[project.pk].status is not None
