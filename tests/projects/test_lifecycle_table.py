"""The transition table, cell by cell: every allowed transition works; every other one is
refused with a message and changes nothing."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.projects import lifecycle, services
from khuyencong.projects.lifecycle import GIVEN, RESUME, SAME, TRANSITIONS, Refused
from khuyencong.projects.models import EventKind, Project, Status

from .factories import make_plan, make_project, step, walk

pytestmark = pytest.mark.django_db

ALLOWED = [(row, status) for row in TRANSITIONS for status in sorted(row.sources)]
ALL_KINDS = [row.kind for row in TRANSITIONS]


def snapshot(project: Project) -> tuple:
    project.refresh_from_db()
    return (
        project.status,
        project.version,
        project.budget,
        project.events.count(),
        project.progress_updates.count(),
    )


def project_in(status: str) -> tuple[Project, datetime.date]:
    plan = make_plan(ceiling=1_000_000_000)
    project = make_project(plan, budget=100_000_000)
    day = walk(project, status)
    return project, day


def test_every_status_is_reachable_and_every_kind_has_one_row():
    targets = {row.target for row in TRANSITIONS} - {RESUME, SAME, GIVEN}
    assert targets | {Status.REGISTERED} == set(Status.values)
    assert sorted(lifecycle.BY_KIND) == sorted(set(EventKind.values) - {EventKind.REGISTER})


@pytest.mark.parametrize(
    ("row", "status"), ALLOWED, ids=[f"{row.kind}-from-{status}" for row, status in ALLOWED]
)
def test_allowed_transition_works(row, status):
    project, day = project_in(status)
    day += datetime.timedelta(days=1)
    extra = {}
    if row.kind == EventKind.ACCEPT:
        services.record_progress(
            project=project, actor=services.SYSTEM, date=day, progress_percent=100
        )
    if row.kind == EventKind.TAKEN_OVER:  # the import baseline: the status it names
        extra = {"to_status": Status.CONTRACTED}
    before_requests = project.events.filter(kind__in=lifecycle.REQUESTS).last()
    event = step(project, row.kind, day, **extra)
    if row.target == GIVEN:
        expected = extra["to_status"]
    elif row.target == SAME:
        expected = status
    elif row.target == RESUME:
        expected = before_requests.from_status
    else:
        expected = row.target
    assert project.status == expected
    assert event.from_status == status and event.to_status == expected
    assert event.effective_date == day and event.kind == row.kind


@pytest.mark.parametrize("status", Status.values)
def test_every_other_transition_is_refused_and_changes_nothing(status):
    project, day = project_in(status)
    refused = [kind for kind in ALL_KINDS if status not in lifecycle.BY_KIND[kind].sources]
    assert refused, "every status refuses something"
    for kind in refused:
        before = snapshot(project)
        with pytest.raises(Refused) as caught:
            step(project, kind, day + datetime.timedelta(days=1), amount=None)
        assert caught.value.code == "illegal"
        assert caught.value.message
        assert snapshot(project) == before, kind


def test_unknown_kind_is_refused():
    project, day = project_in(Status.ASSIGNED)
    with pytest.raises(Refused) as caught:
        step(project, "teleport", day)
    assert caught.value.code == "unknown"


def test_refusal_message_is_vietnamese_by_default():
    from django.utils import translation

    project, day = project_in(Status.REGISTERED)
    with translation.override("vi"), pytest.raises(Refused) as caught:
        step(project, EventKind.SETTLE, day, amount=0)
    assert "không" in caught.value.message.lower() or "chưa" in caught.value.message.lower()
    with translation.override("en"), pytest.raises(Refused) as caught:
        step(project, EventKind.SETTLE, day, amount=0)
    assert "not possible" in caught.value.message


def test_requests_resume_the_status_they_left():
    project, day = project_in(Status.IN_PROGRESS)
    step(project, EventKind.REQUEST_STOP, day + datetime.timedelta(days=1))
    assert project.status == Status.STOP_REQUESTED
    step(project, EventKind.REFUSE_STOP, day + datetime.timedelta(days=2))
    assert project.status == Status.IN_PROGRESS
    step(project, EventKind.REQUEST_ADJUSTMENT, day + datetime.timedelta(days=3))
    step(project, EventKind.APPROVE_ADJUSTMENT, day + datetime.timedelta(days=4))
    assert project.status == Status.IN_PROGRESS


def test_under_review_is_an_annotation_without_status_change():
    project, day = project_in(Status.ASSIGNED)
    version = project.version
    event = step(project, EventKind.UNDER_REVIEW, day, reason="Đang nghiên cứu thị trường")
    assert project.status == Status.ASSIGNED
    assert event.from_status == event.to_status == Status.ASSIGNED
    assert project.version == version + 1
