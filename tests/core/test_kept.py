"""Reference records kept by the worker (``core.kept``): the database's records, no query once
kept, a saved record seen at once, forgotten after ``TIMEOUT``, only reference data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.core import kept
from khuyencong.places.models import AdminUnit
from khuyencong.projects.models import Project
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


def _fresh_copy(project):
    """The project as a page reads it: its own row, the related ids only."""
    return Project.objects.select_related("plan").get(pk=project.pk)


def test_attach_sets_the_database_s_records_and_costs_no_query_once_kept():
    project = make_project()
    expected = Project.objects.select_related(
        "place__parent__parent", "content_area", "plan__funding_source"
    ).get(pk=project.pk)
    paths = ("place__parent__parent", "content_area", "plan__funding_source")
    first = _fresh_copy(project)
    with CaptureQueriesContext(connection) as cold:
        kept.attach([first], *paths)
    assert cold.captured_queries  # read once
    again = _fresh_copy(project)
    with CaptureQueriesContext(connection) as warm:
        kept.attach([again], *paths)
        shown = (again.place.full_path, str(again.content_area), again.plan.funding_source.code)
    assert not warm.captured_queries
    assert shown == (
        expected.place.full_path,
        str(expected.content_area),
        expected.plan.funding_source.code,
    )


def test_a_saved_reference_record_is_seen_at_once():
    project = make_project()
    kept.attach([_fresh_copy(project)], "place")
    place = AdminUnit.objects.get(pk=project.place_id)
    place.name = "Xã Đổi Tên"
    place.save()  # bumps core.choices.generation
    again = _fresh_copy(project)
    kept.attach([again], "place")
    assert again.place.name == "Xã Đổi Tên"


def test_kept_records_are_forgotten_after_the_timeout(monkeypatch):
    project = make_project()
    kept.attach([_fresh_copy(project)], "place")
    AdminUnit.objects.filter(pk=project.place_id).update(name="Xã Sửa Ngầm")  # no bump
    again = _fresh_copy(project)
    kept.attach([again], "place")
    assert again.place.name != "Xã Sửa Ngầm"  # kept meanwhile (as the choice lists)
    later = kept.time.monotonic() + kept.TIMEOUT + 1
    monkeypatch.setattr(kept.time, "monotonic", lambda: later)
    third = _fresh_copy(project)
    kept.attach([third], "place")
    assert third.place.name == "Xã Sửa Ngầm"


def test_a_missing_record_is_left_to_django_and_only_reference_data_is_kept():
    project = _fresh_copy(make_project())
    project.place_id = 10**9  # no such unit
    kept.attach([project], "place")
    assert project.place_id == 10**9  # not set to None behind the caller's back
    with pytest.raises(AdminUnit.DoesNotExist):
        project.place  # noqa: B018 - the lazy load fails as it would without attach
    with pytest.raises(AssertionError, match="not reference data"):
        kept.records(Project, [project.pk])
