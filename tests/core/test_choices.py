"""Reference choice lists kept between requests (``core.choices``): the same options as the
database gives, fewer queries once kept, every write path seen at once (a save, the admin, the
units' bulk loader, the seeders), an archived one still refused when submitted, and the key
names everything the list depends on (query, language, label function)."""

from __future__ import annotations

import pytest
from django import forms
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
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


def test_a_bulk_load_of_the_units_is_seen_at_once():
    """``load_admin_units`` writes with ``bulk_update``, which sends no signal: it invalidates
    the kept lists itself."""
    from khuyencong.places.loader import load_admin_units
    from khuyencong.places.models import AdminUnit

    province = AdminUnit.objects.provinces().get(era="legacy", short_name="Bắc Kạn")
    AdminUnit.objects.filter(pk=province.pk).update(name="Tỉnh Đổi Tên Ngầm")  # no signal
    assert "Tỉnh Đổi Tên Ngầm" in dict(_options(_form(), "province"))[str(province.pk)]  # kept
    load_admin_units(["Bắc Kạn"])  # puts the package's name back, in bulk
    label = dict(_options(_form(), "province"))[str(province.pk)]
    assert label == str(AdminUnit.objects.get(pk=province.pk))
    assert "Tỉnh Đổi Tên Ngầm" not in label


def test_the_reference_seeders_invalidate():
    from khuyencong.core.choices import generation
    from khuyencong.demo.reference import seed_reference_data

    before = generation()
    seed_reference_data()  # nothing to create: no model signal
    assert generation() > before


def test_an_admin_save_is_seen_at_once(admin_client):
    area = ContentArea.objects.active().filter(parent__isnull=False).first()
    str(_form()["content_area"])  # kept
    url = reverse("admin:catalog_contentarea_change", args=[area.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    data["name"] = "Nội dung sửa trong trang quản trị"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "Nội dung sửa trong trang quản trị" in dict(_options(_form()))[str(area.pk)]


def _area_field(label=None):
    form = _form()
    field = form.fields["content_area"]
    if label is not None:
        field.label_from_instance = label
    return form, field


def _code_label(area):
    return f"[{area.code}]"


def _name_label(area):
    return f"<{area.name}>"


def test_the_label_function_is_part_of_the_key():
    """Two selects over the same query with different label functions never share a list."""
    from khuyencong.core.choices import _key

    plain, by_code, by_name = _area_field(), _area_field(_code_label), _area_field(_name_label)
    keys = {_key(field) for _form_, field in (plain, by_code, by_name)}
    assert len(keys) == 3 and None not in keys
    area = ContentArea.objects.active().first()
    for _round in range(2):  # the second round is read from the cache
        assert dict(_options(_area_field()[0]))[str(area.pk)] == str(area)
        assert dict(_options(_area_field(_code_label)[0]))[str(area.pk)] == f"[{area.code}]"
        assert dict(_options(_area_field(_name_label)[0]))[str(area.pk)] == f"<{area.name}>"
        lambda_form, _field = _area_field(lambda area: f"λ{area.pk}")
        assert dict(_options(lambda_form))[str(area.pk)] == f"λ{area.pk}"


def test_a_label_function_its_code_does_not_name_is_not_kept():
    """A closure's or a default argument's value decides the label, not the function's code:
    such a list is not kept, each select renders its own labels."""
    from khuyencong.core.choices import _key

    area = ContentArea.objects.active().first()
    labels = []
    for prefix in ("A", "B"):

        def closure(area):
            return f"{prefix}{area.pk}"  # noqa: B023 - the closure is the point

        def with_default(area, prefix=prefix):
            return f"{prefix}-{area.pk}"

        for label in (closure, with_default):
            form, field = _area_field(label)
            assert _key(field) is None
            labels.append(dict(_options(form))[str(area.pk)])
    assert labels == [f"A{area.pk}", f"A-{area.pk}", f"B{area.pk}", f"B-{area.pk}"]
