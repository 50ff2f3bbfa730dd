"""Inspections: create and edit (``create_inspection`` / ``update_inspection``), overdue
follow-ups flagged on the project page and in the lists, the list across projects."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.places.models import AdminUnit
from khuyencong.projects import services
from khuyencong.projects.models import Inspection

from .factories import make_plan, make_project, user

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def wide_grace(settings):
    """Overdue is a notion of the real today, so the inspections here are dated from it, on
    plans of 2015–2024: a wide grace lets the date rule (tests/projects/test_date_rule.py)
    accept them."""
    settings.DATE_GRACE_YEARS = 30


def login(client, role, **kwargs):
    client.force_login(user(role, **kwargs), backend=BACKEND)


def inspect(project, *, deadline_days: int | None = None, status: str = "none", **fields):
    deadline = TODAY + datetime.timedelta(days=deadline_days) if deadline_days is not None else None
    return services.create_inspection(
        project=project,
        actor=services.SYSTEM,
        planned_date=TODAY - datetime.timedelta(days=60),
        follow_up_status=status,
        follow_up_deadline=deadline,
        **fields,
    )


def test_recording_an_inspection_with_an_open_follow_up(client):
    project = make_project(make_plan(year=2018))
    login(client, Role.CENTRE_STAFF)
    url = reverse("projects:inspection_create", args=[project.pk])
    data = {
        "planned_date": "2018-07-01",
        "held_date": "2018-07-03",
        "team": "Đoàn kiểm tra Sở Công Thương",
        "findings": "Thiết bị chưa lắp đặt",
        "recommendations": "Lắp đặt trước 30/9",
        "follow_up_status": "open",
        "follow_up_deadline": "",
        "expected_version": project.version,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["follow_up_deadline"] == [
        "Việc khắc phục đang theo dõi phải có thời hạn."
    ]
    assert not Inspection.objects.exists()
    assert client.post(url, {**data, "follow_up_deadline": "2018-09-30"}).status_code == 302
    inspection = Inspection.objects.get()
    assert (inspection.team, inspection.follow_up_deadline) == (
        "Đoàn kiểm tra Sở Công Thương",
        datetime.date(2018, 9, 30),
    )
    login(client, Role.DISTRICT_OFFICER, district=project.district)
    assert client.get(url).status_code == 403


def test_overdue_follow_ups_are_flagged_on_the_project_and_in_the_lists(client):
    plan = make_plan()
    late = make_project(plan)
    on_time = make_project(plan)
    inspect(late, deadline_days=-1, status="open", recommendations="Bổ sung hồ sơ")
    inspect(on_time, deadline_days=10, status="open")
    login(client, Role.CENTRE_STAFF)
    page = client.get(reverse("projects:detail", args=[late.pk]))
    assert page.context["overdue_count"] == 1
    assert 'id="overdue-alert"' in page.content.decode()
    assert (
        'id="overdue-alert"'
        not in client.get(reverse("projects:detail", args=[on_time.pk])).content.decode()
    )
    listing = client.get(reverse("projects:list"), {"plan": plan.pk, "year": plan.year})
    flags = {
        project.code: project.has_overdue_inspection for project, _s in listing.context["rows"]
    }
    assert flags == {late.code: True, on_time.code: False}
    assert listing.content.decode().count('data-overdue="true"') == 1
    overdue = client.get(reverse("projects:inspections"), {"follow_up": "overdue"})
    assert [inspection.project for inspection, _o in overdue.context["rows"]] == [late]
    assert all(flag for _i, flag in overdue.context["rows"])
    every = client.get(reverse("projects:inspections"))
    assert len(every.context["rows"]) == 2
    partial = client.get(
        reverse("projects:inspections"), {"follow_up": "overdue"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in partial and late.code in partial and on_time.code not in partial


def test_the_inspections_list_is_scoped_searchable_and_constant_in_queries(client):
    elsewhere = AdminUnit.objects.provinces().filter(era="legacy").exclude(code="06").first()
    mine = make_project(make_plan(), title="Hỗ trợ đồ mộc dân dụng")
    inspect(mine)
    login(client, Role.CENTRE_STAFF)
    url = reverse("projects:inspections")
    assert len(client.get(url, {"q": "do moc"}).context["rows"]) == 1
    assert len(client.get(url, {"q": "gach"}).context["rows"]) == 0
    login(client, Role.CENTRE_STAFF, province=elsewhere)
    assert len(client.get(url).context["rows"]) == 0

    login(client, Role.CENTRE_STAFF)
    counts = []
    plan = make_plan(ceiling=10**12)
    for extra in (2, 20):
        for _ in range(extra):
            inspect(make_project(plan), deadline_days=-3, status="open")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"follow_up": "overdue"})
        counts.append(len(captured))
    assert len(response.context["rows"]) == 22
    assert counts[0] == counts[1]


def test_editing_an_inspection_closes_the_follow_up_and_refuses_stale_forms(client):
    project = make_project(make_plan(year=2018))
    inspection = inspect(project, deadline_days=-5, status="open", team="Đoàn 1")
    login(client, Role.CENTRE_STAFF)
    url = reverse("projects:inspection_edit", args=[inspection.pk])
    form = client.get(url).context["form"]
    assert form["team"].value() == "Đoàn 1"
    data = {
        "planned_date": inspection.planned_date.isoformat(),
        "team": "Đoàn 1",
        "follow_up_status": "done",
        "follow_up_deadline": inspection.follow_up_deadline.isoformat(),
        "expected_version": inspection.version,
    }
    assert client.post(url, data).status_code == 302
    inspection.refresh_from_db()
    assert inspection.follow_up_status == "done" and not inspection.is_overdue()
    stale = client.post(url, {**data, "team": "Đoàn 2"})  # the version it carries is old now
    assert stale.status_code == 200
    assert "Người khác đã ghi nhận thay đổi" in stale.content.decode()
    inspection.refresh_from_db()
    assert inspection.team == "Đoàn 1"
