"""Lists run a constant number of queries whatever their length."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role
from khuyencong.projects.models import Status
from khuyencong.projects.plan_selectors import plan_figures_many
from khuyencong.projects.selectors import plan_states, project_list, state_of

from .factories import make_plan, make_project, user, walk

pytestmark = pytest.mark.django_db


def render_list(viewer, plan):
    """What a list page does: the rows with their state and related names."""
    rows = list(project_list(user=viewer, filters={"plan": plan}))
    return [
        (
            row.code,
            row.plan.funding_source.code,
            row.content_area.name,
            row.place.name,
            row.implementing_unit.name,
            row.beneficiary.kind.code if row.beneficiary else None,
            state_of(row).allocated,
            state_of(row).phase,
        )
        for row in rows
    ]


def queries(call, *args):
    with CaptureQueriesContext(connection) as captured:
        result = call(*args)
    return len(captured), result


def fill(plan, count):
    for index in range(count):
        project = make_project(plan, budget=1_000_000)
        if index % 2:
            walk(project, Status.IN_PROGRESS)


def test_project_list_query_count_is_the_same_for_5_and_50_projects():
    viewer = user(Role.CENTRE_STAFF)
    small, large = make_plan(ceiling=10**12), make_plan(ceiling=10**12)
    fill(small, 5)
    fill(large, 50)
    roles.province_ids(viewer)  # the user's province family is cached after the first call
    small_count, small_rows = queries(render_list, viewer, small)
    large_count, large_rows = queries(render_list, viewer, large)
    assert (len(small_rows), len(large_rows)) == (5, 50)
    assert small_count == large_count
    assert large_count <= 3  # (province scope) + the annotated list


def test_plan_figures_and_states_query_count_is_constant():
    small, large = make_plan(ceiling=10**12), make_plan(ceiling=10**12)
    fill(small, 5)
    fill(large, 50)
    assert queries(plan_states, small, None)[0] == queries(plan_states, large, None)[0] == 1
    few = queries(plan_figures_many, [small], None)[0]
    many = queries(plan_figures_many, [small, large], None)[0]
    assert few == many == 2
