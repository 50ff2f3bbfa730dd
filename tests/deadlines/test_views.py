"""The to-do panel, its count, the rules pages and the calendar feed (parsed with icalendar)."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.deadlines.models import CalendarFeed, ObligationRule
from khuyencong.projects.models import Status
from tests.deadlines.conftest import project_in
from tests.projects import factories as pf

D = datetime.date
pytestmark = pytest.mark.django_db
AS_OF = D(2019, 3, 20)


@pytest.fixture
def two_provinces(lang_son, ca_mau):
    projects = {}
    for place in (lang_son, ca_mau):
        for _ in range(2):
            project = project_in(place, 2019)
            pf.walk(project, Status.IN_PROGRESS, D(2019, 1, 10))
            projects.setdefault(place.province.pk, []).append(project)
    return projects


@override_settings(KHUYENCONG_AS_OF=AS_OF)
def test_home_panel_shows_late_in_red_and_due_this_week(client, lang_son, two_provinces):
    client.force_login(lang_son.centre_user)
    response = client.get("/")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="todo-panel"' in text
    mine = two_provinces[lang_son.province.pk]
    for project in mine:
        assert f"Báo cáo tiến độ 02/2019: {project.code}" in text
        assert reverse("projects:progress", kwargs={"pk": project.pk}) in text
    assert text.count("todo-late") == 2 and text.count("todo-week") == 2
    assert "trễ 23 ngày" in text
    others = two_provinces[next(pk for pk in two_provinces if pk != lang_son.province.pk)]
    assert all(project.code not in text for project in others)


@override_settings(KHUYENCONG_AS_OF=AS_OF)
def test_the_count_and_a_query_guard(client, lang_son, two_provinces):
    client.force_login(lang_son.centre_user)
    client.get(reverse("deadlines:count"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("deadlines:count"))
    assert len(few) <= 16
    assert '<span class="badge text-bg-danger"' in response.content.decode()
    assert ">2</span>" in response.content.decode()
    with CaptureQueriesContext(connection) as home_few:
        client.get("/")
    # more projects do not mean more queries
    for _ in range(3):
        project = project_in(lang_son, 2019)
        pf.walk(project, Status.IN_PROGRESS, D(2019, 1, 10))
    with CaptureQueriesContext(connection) as again:
        response = client.get(reverse("deadlines:count"))
    assert ">5</span>" in response.content.decode()
    assert len(again) == len(few)
    with CaptureQueriesContext(connection) as home_more:
        response = client.get("/")
    assert response.content.decode().count("todo-late") == 5
    assert len(home_more) == len(home_few)  # the panel's queries do not grow with its rows


@override_settings(KHUYENCONG_AS_OF=AS_OF)
def test_todo_page_as_of_another_day(client, lang_son, two_provinces):
    client.force_login(lang_son.centre_user)
    response = client.get(reverse("deadlines:todo"), {"as_of": "10/02/2019"})
    text = response.content.decode()
    assert "01/2019" not in text  # January's report fell due before the work started
    assert "Báo cáo tiến độ 02/2019" in text
    response = client.get(reverse("deadlines:todo"), {"as_of": "not a date"})
    assert response.status_code == 200


@override_settings(KHUYENCONG_AS_OF=AS_OF)
def test_calendar_feed_is_valid_scoped_and_revocable(client, lang_son, ca_mau, two_provinces):
    client.force_login(lang_son.centre_user)
    client.post(reverse("deadlines:calendar_regenerate"))
    feed = CalendarFeed.objects.get(user=lang_son.centre_user)
    url = reverse("deadlines:feed", kwargs={"secret": feed.secret})
    client.logout()
    response = client.get(url)  # no session: the secret is the key
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    mine = {p.code for p in two_provinces[lang_son.province.pk]}
    theirs = {p.code for p in two_provinces[ca_mau.province.pk]}
    summaries = [str(event["SUMMARY"]) for event in events]
    assert len(events) == 4
    assert all(any(code in s for code in mine) for s in summaries)
    assert not any(code in s for s in summaries for code in theirs)
    dates = sorted(event.decoded("DTSTART") for event in events)
    assert dates == [D(2019, 2, 25)] * 2 + [D(2019, 3, 25)] * 2
    assert any(s.startswith("[Trễ 23 ngày]") for s in summaries)
    assert len({str(event["UID"]) for event in events}) == 4

    client.force_login(lang_son.centre_user)
    client.post(reverse("deadlines:calendar_regenerate"))
    assert client.get(url).status_code == 404  # the old address is revoked
    feed.refresh_from_db()
    assert client.get(reverse("deadlines:feed", kwargs={"secret": feed.secret})).status_code == 200
    client.post(reverse("deadlines:calendar_revoke"))
    assert client.get(reverse("deadlines:feed", kwargs={"secret": feed.secret})).status_code == 404
    assert client.get(reverse("deadlines:feed", kwargs={"secret": "x" * 300})).status_code == 404


def test_rules_province_admin_edits_only_own_province(client, lang_son, ca_mau):
    from khuyencong.accounts.models import Role, ScopeLevel, User

    admin = User.objects.create(
        username="quantri-ls", role=Role.PROVINCE_ADMIN, scope_level=ScopeLevel.PROVINCE,
        province=lang_son.province,
    )  # fmt: skip
    client.force_login(admin)
    national = ObligationRule.objects.filter(province__isnull=True).first()
    assert client.get(reverse("deadlines:rules")).status_code == 200
    edit = reverse("deadlines:rule_edit", kwargs={"pk": national.pk})
    assert client.get(edit).status_code == 404  # national rules: national administrators
    data = {
        "kind": "monthly_progress", "province": ca_mau.province.pk,
        "responsible_role": "centre_staff", "due_day": 20, "day_unit": "calendar",
        "lead_days": 5, "valid_from": "01/01/2019",
    }  # fmt: skip
    response = client.post(reverse("deadlines:rule_create"), data)
    assert response.status_code == 200  # another province: refused with a message
    assert not ObligationRule.objects.filter(province=ca_mau.province).exists()
    data["province"] = lang_son.province.pk
    response = client.post(reverse("deadlines:rule_create"), data)
    assert response.status_code == 302
    rule = ObligationRule.objects.get(province=lang_son.province)
    assert rule.due_day == 20 and not rule.confirmed
    data.update(due_day=22, expected_version=rule.version)
    edit = reverse("deadlines:rule_edit", kwargs={"pk": rule.pk})
    assert client.post(edit, data).status_code == 302
    rule.refresh_from_db()
    assert rule.due_day == 22
    # a fixed-date kind without its date is refused
    data.update(kind="national_proposal", due_month="", expected_version=rule.version)
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "ngày trong năm" in response.content.decode()
