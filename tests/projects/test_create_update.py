"""Creating and editing projects: field rules, money frozen after approval, optimistic
versions (a concurrent edit is refused, never silently overwritten), history, archive."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.core.models import VersionConflict
from khuyencong.places.models import AdminUnit
from khuyencong.projects import services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import Budget, EventKind, Project, Status
from khuyencong.projects.services import SYSTEM
from khuyencong.trust.models import AuditEntry

from .factories import make_plan, make_project, step, units, user, walk

pytestmark = pytest.mark.django_db
D = datetime.date


def test_create_registers_with_an_event_and_denormalised_scope():
    centre = user(Role.CENTRE_STAFF)
    project = make_project(place=units()["02185"])
    assert project.status == Status.REGISTERED
    event = project.events.get()
    assert (event.kind, event.sequence, event.to_status) == (EventKind.REGISTER, 1, "registered")
    assert project.province == units()["06"] and project.district == units()["066"]
    assert "quang" not in project.search_text  # the place is not in the search text
    assert project.search_text.startswith("t-")
    on_province = make_project(place=units()["06"])
    assert on_province.district is None
    assert centre


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"code": ""}, "code"),
        ({"title": "  "}, "title"),
        ({"kcqg_type": "diem"}, "kcqg_type"),  # a local-fund plan
        ({"registered_on": D(2030, 1, 1)}, "place"),  # the legacy commune no longer exists
    ],
)
def test_create_refuses_bad_fields(changes, code):
    plan = make_plan(year=2018)
    with pytest.raises(Refused) as caught:
        make_project(plan, **changes)
    assert caught.value.code == code
    assert not Project.objects.filter(plan=plan).exists()


def test_create_refuses_duplicate_codes_and_foreign_places():
    project = make_project()
    with pytest.raises(Refused) as caught:
        make_project(code=project.code)
    assert caught.value.code == "code"
    other = AdminUnit.objects.create(
        era="legacy",
        level="province",
        code="T98",
        unit_type="Tỉnh",
        name="Tỉnh Khác",
        short_name="Khác",
        key="tinhkhac",
        search_text="tinh khac",
    )
    with pytest.raises(Refused) as caught:
        make_project(place=other)
    assert caught.value.code == "place"


def test_kcqg_types_belong_to_national_projects_and_per_beneficiary_needs_one():
    national = make_plan(source_code="national")
    with pytest.raises(Refused) as caught:
        make_project(national, kcqg_type="doi_tuong")
    assert caught.value.code == "beneficiary"
    group = make_project(national, kcqg_type="nhom")
    assert group.kcqg_type == "nhom" and group.beneficiary is None


def test_create_needs_the_register_permission():
    with pytest.raises(Refused) as caught:
        services.create_project(
            actor=user(Role.NATIONAL_AGENCY),
            code="X-1",
            title="Đề án",
            content_area=make_project().content_area,
            implementing_unit=make_project().implementing_unit,
            place=units()["02152"],
            registered_on=D(2018, 1, 1),
        )
    assert caught.value.code == "permission"


def test_budget_is_editable_until_approval_then_only_through_an_adjustment():
    project = make_project(budget=100_000_000)
    centre = user(Role.CENTRE_STAFF)
    services.update_project(
        project=project, actor=centre, expected_version=project.version, budget_local=120_000_000
    )
    assert project.budget.local == 120_000_000
    walk(project, Status.APPROVED)
    with pytest.raises(Refused) as caught:
        services.update_project(
            project=project, actor=centre, expected_version=project.version, budget_local=1
        )
    assert caught.value.code == "approved_money"
    services.update_project(
        project=project,
        actor=centre,
        expected_version=project.version,
        title="Tên mới",
        budget_local=120_000_000,  # unchanged: fine
    )
    assert project.title == "Tên mới"
    approve = project.events.get(kind=EventKind.APPROVE)
    assert approve.budget == Budget(local=120_000_000)


def test_a_concurrent_edit_is_refused_not_overwritten():
    project = make_project()
    centre = user(Role.CENTRE_STAFF)
    first_user_view = Project.objects.get(pk=project.pk)
    second_user_view = Project.objects.get(pk=project.pk)
    services.update_project(
        project=first_user_view,
        actor=centre,
        expected_version=first_user_view.version,
        title="Sửa lần 1",
    )
    with pytest.raises(VersionConflict) as caught:
        services.update_project(
            project=second_user_view,
            actor=centre,
            expected_version=second_user_view.version,
            title="Sửa lần 2",
        )
    assert caught.value.current.title == "Sửa lần 1"
    project.refresh_from_db()
    assert project.title == "Sửa lần 1"


def test_a_transition_on_a_stale_version_is_refused_and_writes_nothing():
    project = make_project()
    day = walk(project, Status.APPROVED)
    seen = project.version
    step(project, EventKind.UNDER_REVIEW, day, reason="Đang xem xét")
    events = project.events.count()
    with pytest.raises(VersionConflict):
        step(project, EventKind.ASSIGN, day, expected_version=seen)
    project.refresh_from_db()
    assert project.status == Status.APPROVED and project.events.count() == events
    step(project, EventKind.ASSIGN, day, expected_version=project.version)
    assert project.status == Status.ASSIGNED


def test_every_change_is_in_the_audit_trail():
    project = make_project()
    walk(project, Status.ASSIGNED)
    entries = list(AuditEntry.objects.for_object(project).order_by("at", "id"))
    statuses = [c["new"] for e in entries for c in e.changes if c["field"] == "status"]
    assert statuses == ["registered", "appraised", "approved", "assigned"]
    assert all(entry.reason.startswith("event") for entry in entries[1:])


def test_archive_only_projects_holding_no_money():
    project = make_project()
    walk(project, Status.APPROVED)
    with pytest.raises(Refused) as caught:
        services.archive_project(project=project, actor=SYSTEM)
    assert caught.value.code == "archive"
    fresh = make_project()
    services.archive_project(project=fresh, actor=SYSTEM)
    assert fresh.is_archived
    with pytest.raises(Refused):
        step(fresh, EventKind.APPRAISE, D(fresh.plan.year, 1, 3))
