"""Faults: a database error in the middle of a write rolls the whole write back — no event
without its status change, no status change without its event, no audit row for what did not
happen. (Report and import tasks are in other apps: they use tests/trust/faults.py.)"""

from __future__ import annotations

import datetime

import pytest

from khuyencong.projects import services
from khuyencong.projects.models import EventKind, ProgressUpdate, Project, ProjectEvent
from khuyencong.trust import recording
from tests.trust.faults import InjectedFault, failing, nothing_written

pytestmark = pytest.mark.django_db
D = datetime.date


def _walk_to_contracted(project, actor):
    for day, kind in enumerate(
        [EventKind.APPRAISE, EventKind.APPROVE, EventKind.ASSIGN, EventKind.CONTRACT], start=1
    ):
        services.project_transition(
            project=project,
            kind=kind,
            effective_date=D(2016, 2, day),
            actor=actor,
            document_number=f"{day}/QĐ",
        )


@pytest.mark.parametrize(
    "target,attribute,after",
    [
        (Project, "save", 0),  # the status change after the event row
        (ProjectEvent.objects, "create", 0),  # the event row itself
        (recording, "write_entry", 1),  # the audit row of the status change
    ],
)
def test_a_failing_step_rolls_the_whole_transition_back(world, target, attribute, after):
    project = world.obj("project", "A")
    version, status = project.version, project.status
    events = project.events.count()
    with nothing_written(), failing(target, attribute, after=after), pytest.raises(InjectedFault):
        services.project_transition(
            project=project,
            kind=EventKind.APPRAISE,
            effective_date=D(2016, 2, 1),
            actor=world.users["leader_a"],
        )
    project.refresh_from_db()
    assert (project.version, project.status) == (version, status)
    assert project.events.count() == events


def test_progress_that_fails_after_its_start_event_leaves_neither(world):
    project = world.obj("project", "A")
    _walk_to_contracted(project, world.users["admin"])
    project.refresh_from_db()
    assert project.status == "contracted"
    with (
        nothing_written(),
        failing(ProgressUpdate.objects, "create"),
        pytest.raises(InjectedFault),
    ):
        services.record_progress(
            project=project,
            actor=world.users["centre_staff"],
            date=D(2016, 3, 1),
            progress_percent=20,
        )
    project.refresh_from_db()
    assert project.status == "contracted"
    assert not project.events.filter(kind=EventKind.START).exists()


def test_a_project_whose_registration_event_fails_is_not_created(world):
    from khuyencong.catalog.models import ContentArea

    centre, plan = world.obj("centre", "A"), world.obj("plan", "A")
    with (
        nothing_written(),
        failing(ProjectEvent.objects, "create"),
        pytest.raises(InjectedFault),
    ):
        services.create_project(
            actor=world.users["admin"],
            code="KQZ-FAULT-1",
            title="Đề án lỗi",
            content_area=ContentArea.objects.get(code="machinery"),
            implementing_unit=centre,
            place=world.sides["A"].commune,
            registered_on=D(2016, 1, 5),
            plan=plan,
        )
    assert not Project.objects.filter(code="KQZ-FAULT-1").exists()


def test_a_database_error_in_a_web_transition_is_a_clean_error_and_writes_nothing(world):
    """A POST whose write fails midway answers with an error page and leaves no row."""
    from django.test import Client
    from django.urls import reverse

    beneficiary = world.obj("beneficiary", "A")
    client = Client(raise_request_exception=False)
    client.force_login(world.users["leader_a"], backend="django.contrib.auth.backends.ModelBackend")
    with nothing_written(), failing(recording, "write_entry"):
        response = client.post(reverse("beneficiaries:archive", args=[beneficiary.pk]))
    assert response.status_code == 500
    beneficiary.refresh_from_db()
    assert beneficiary.archived_at is None
