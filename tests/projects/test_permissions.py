"""Who may perform which transition, decided by accounts.roles (role + scope)."""

from __future__ import annotations

import pytest

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role, ScopeLevel
from khuyencong.places.models import AdminUnit
from khuyencong.projects import lifecycle, services
from khuyencong.projects.lifecycle import TRANSITIONS
from khuyencong.projects.models import EventKind, Status

from .factories import make_plan, make_project, step, user, walk
from .test_guards import refused

pytestmark = pytest.mark.django_db

R = Role
DECIDERS = {
    "national": {R.SYSTEM_ADMIN, R.NATIONAL_AGENCY},
    "local": {R.SYSTEM_ADMIN, R.DEPARTMENT_LEADER},
}
CENTRE = {R.SYSTEM_ADMIN, R.CENTRE_STAFF}
LEADER = {R.SYSTEM_ADMIN, R.DEPARTMENT_LEADER}
EXPECTED = {
    EventKind.APPRAISE: {R.SYSTEM_ADMIN, R.DEPARTMENT_LEADER, R.NATIONAL_AGENCY},
    EventKind.APPROVE: "decide",
    EventKind.ASSIGN: "decide",
    EventKind.CONTRACT: CENTRE,
    EventKind.START: CENTRE,
    EventKind.ACCEPT: LEADER,
    EventKind.SETTLE: LEADER,
    EventKind.REQUEST_ADJUSTMENT: CENTRE,
    EventKind.APPROVE_ADJUSTMENT: "decide",
    EventKind.REFUSE_ADJUSTMENT: "decide",
    EventKind.REQUEST_STOP: CENTRE,
    EventKind.APPROVE_STOP: "decide",
    EventKind.REFUSE_STOP: "decide",
    EventKind.UNDER_REVIEW: CENTRE,
    EventKind.TAKEN_OVER: "decide",  # and the system actor only (the service's own check)
}  # fmt: skip


@pytest.mark.parametrize("fund", ["national", "local"])
def test_each_transition_is_open_to_the_roles_in_the_rules(fund):
    project = make_project(make_plan(source_code=fund))
    assert project.fund == fund
    people = {role: user(role) for role in Role}
    for row in TRANSITIONS:
        expected = EXPECTED[row.kind]
        expected = DECIDERS[fund] if expected == "decide" else expected
        allowed = {
            role
            for role, person in people.items()
            if roles.check(person, row.permission_for(fund), project)
        }
        assert allowed == expected, row.kind
    progress_roles = {
        role for role, p in people.items() if roles.check(p, lifecycle.PROGRESS_PERMISSION, project)
    }
    assert progress_roles == CENTRE


def test_every_permission_of_the_table_is_registered():
    for row in TRANSITIONS:
        for fund in ("national", "local"):
            assert row.permission_for(fund) in roles.PERMISSIONS


def test_the_service_refuses_a_role_without_the_permission_and_writes_nothing():
    project = make_project(make_plan(source_code="national"))
    day = walk(project, Status.APPROVED)
    leader = user(Role.DEPARTMENT_LEADER)
    message = refused(project, "permission", step, project, EventKind.ASSIGN, day, actor=leader)
    assert message == str(roles.check(leader, "projects.decide_national", project).reason)
    step(project, EventKind.ASSIGN, day, actor=user(Role.NATIONAL_AGENCY))
    assert project.status == Status.ASSIGNED
    event = project.events.last()
    assert event.actor.role == Role.NATIONAL_AGENCY


def test_scope_a_centre_in_another_province_may_not_act():
    other = AdminUnit.objects.create(
        era="legacy", level="province", code="T99", unit_type="Tỉnh", name="Tỉnh Thử",
        short_name="Thử", key="tinhthu", search_text="tinh thu",
    )  # fmt: skip
    project = make_project()
    day = walk(project, Status.ASSIGNED)
    stranger = user(Role.CENTRE_STAFF, province=other)
    refused(project, "permission", step, project, EventKind.CONTRACT, day, actor=stranger)
    refused(
        project, "permission", services.record_progress,
        project=project, actor=stranger, date=day, progress_percent=0, note="x",
    )  # fmt: skip
    local = user(Role.CENTRE_STAFF)
    step(project, EventKind.CONTRACT, day, actor=local)
    assert project.status == Status.CONTRACTED


def test_beneficiary_users_see_their_projects_but_cannot_act(django_user_model):
    from khuyencong.demo.projects import ensure_beneficiaries, ensure_catalogs

    ensure_catalogs()
    from .factories import units

    own = ensure_beneficiaries(units())["thanh_ngan"]
    project = make_project(beneficiary=own)
    day = walk(project, Status.CONTRACTED)
    person = user(Role.BENEFICIARY, beneficiary=own, scope_level=ScopeLevel.PROVINCE)
    assert roles.check(person, "projects.view", project)
    refused(
        project, "permission", services.record_progress,
        project=project, actor=person, date=day, progress_percent=10,
    )  # fmt: skip
    someone_else = make_project()
    assert not roles.check(person, "projects.view", someone_else)


def test_anonymous_and_inactive_users_are_refused():
    from django.contrib.auth.models import AnonymousUser

    project = make_project()
    day = walk(project, Status.ASSIGNED)
    inactive = user(Role.CENTRE_STAFF, is_active=False)
    for actor in (AnonymousUser(), inactive, None):
        refused(project, "permission", step, project, EventKind.CONTRACT, day, actor=actor)
