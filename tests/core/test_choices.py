"""Reference choice lists kept between requests (``core.choices``): the same options as the
database gives, fewer queries once kept, a saved record shows at once, an archived one is
still refused when submitted, and the language is part of the key."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from khuyencong.accounts.models import Role
from khuyencong.catalog.models import ContentArea
from khuyencong.projects.forms.lists import ProjectFilter
from khuyencong.projects.models import Project
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _form(data=None):
    request = RequestFactory().get("/projects/", data or {})
    request.user = UserFactory(role=Role.NATIONAL_AGENCY)
    return ProjectFilter(request.GET or None, queryset=Project.objects.none(), request=request).form


def _options(form, name="content_area"):
    return [(str(value), str(label)) for value, label in form.fields[name].choices]


def _from_the_database():
    return [("", "---------")] + [
        (str(area.pk), str(area)) for area in ContentArea.objects.active()
    ]


def test_kept_choices_are_the_database_s_and_cost_no_query_once_kept():
    from django.db import connection

    first = _form()
    with CaptureQueriesContext(connection) as cold:
        html = str(first["content_area"])
    assert _options(first) == _from_the_database()
    assert cold.captured_queries, "the first render reads the catalog"
    second = _form()
    with CaptureQueriesContext(connection) as warm:
        again = str(second["content_area"])
    assert again == html
    assert not [q for q in warm.captured_queries if "catalog_contentarea" in q["sql"]]


def test_a_saved_record_shows_at_once_and_an_archived_one_is_refused():
    str(_form()["content_area"])  # kept
    area = ContentArea.objects.create(code="TEST-X", name="Nội dung thử nghiệm", sort_order=999)
    assert str(area.pk) in dict(_options(_form()))
    assert _options(_form()) == _from_the_database()
    # Archived behind the cache's back (an update query bumps nothing): still listed from the
    # cache, but a submitted choice is checked against the database.
    ContentArea.objects.filter(pk=area.pk).update(archived_at="2026-01-01T00:00:00Z")
    assert str(area.pk) in dict(_options(_form()))
    submitted = _form({"content_area": area.pk})
    assert not submitted.is_valid()
    assert "content_area" in submitted.errors


def test_the_language_is_part_of_the_key():
    area = ContentArea.objects.active().exclude(name_en="").first()
    assert area is not None
    with translation.override("vi"):
        vietnamese = dict(_options(_form()))[str(area.pk)]
    with translation.override("en"):
        english = dict(_options(_form()))[str(area.pk)]
    assert vietnamese != english


def _form_for(user, data=None):
    request = RequestFactory().get("/projects/", data or {})
    request.user = user
    return ProjectFilter(request.GET or None, queryset=Project.objects.none(), request=request).form


def test_each_scope_keeps_its_own_list():
    """The key is the query itself: users whose querysets differ only in a filter value (their
    province) never share a kept list, and each list is the database's."""
    from django.db import connection

    from khuyencong.places.models import AdminUnit

    first, second = AdminUnit.objects.provinces().filter(era="legacy").order_by("pk")[:2]
    users = [UserFactory(province=first), UserFactory(province=second)]
    for _ in range(2):  # the second round is read from the cache
        for user, province in zip(users, (first, second), strict=True):
            options = _options(_form_for(user), "province")
            assert {value for value, _label in options[1:]} == {
                str(pk) for pk in AdminUnit.province_family_ids(province.pk)
            }
    with CaptureQueriesContext(connection) as warm:
        str(_form_for(users[0])["province"])
    assert not [q for q in warm.captured_queries if "places_adminunit" in q["sql"]]


def test_an_empty_queryset_is_not_kept():
    from khuyencong.core.choices import _key

    form = _form()
    field = form.fields["content_area"]
    assert _key(field) is not None
    field.queryset = field.queryset.none()
    assert _key(field) is None
