"""Event pages: scope, create/edit, participants, Excel import, attendance, query budget."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role, ScopeLevel
from khuyencong.events.models import Event, Participant
from khuyencong.places.models import Level
from tests.accounts.factories import THAI_NGUYEN, UserFactory, legacy

from .factories import bac_kan, district, event, officer, workbook

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, **kwargs):
    user = UserFactory(**kwargs)
    client.force_login(user, backend=BACKEND)
    return user


def test_staff_create_an_event_with_money_written_the_vietnamese_way(client):
    login(client)
    response = client.post(
        reverse("events:create"),
        {
            "kind": "training",
            "title": "Hội nghị tập huấn 2019",
            "start_date": "2019-05-10",
            "end_date": "2019-05-11",
            "status": "planned",
            "place": district("066").pk,
            "booths_supported": "0",
            "cost": "30 triệu",
        },
    )
    assert response.status_code == 302
    made = Event.objects.get(title="Hội nghị tập huấn 2019")
    assert made.cost == 30_000_000 and made.district_id == district("066").pk


def test_an_event_ending_before_it_starts_is_refused(client):
    login(client)
    response = client.post(
        reverse("events:create"),
        {
            "kind": "training",
            "title": "Sai ngày",
            "start_date": "2019-05-10",
            "end_date": "2019-05-09",
            "status": "planned",
            "place": bac_kan().pk,
            "booths_supported": "0",
            "cost": "0",
        },
    )
    assert response.status_code == 200
    assert not Event.objects.filter(title="Sai ngày").exists()


def test_other_provinces_and_beneficiaries_do_not_see_events(client):
    made = event()
    login(client, province=legacy(Level.PROVINCE, THAI_NGUYEN))
    assert client.get(reverse("events:detail", args=[made.pk])).status_code == 404
    assert made.title not in client.get(reverse("events:list")).content.decode()
    login(client, role=Role.BENEFICIARY)
    assert client.get(reverse("events:list")).status_code == 403


def test_the_import_page_commits_all_or_nothing(client):
    made = event()
    login(client)
    url = reverse("events:participant_import", args=[made.pk])
    bad = workbook([["Họ và tên", "Huyện"], ["A", "Na Rì"], ["B", "Không có"]])
    response = client.post(url, {"file": SimpleUploadedFile("ds.xlsx", bad)})
    html = response.content.decode()
    assert "Chưa nhập dòng nào" in html and "Dòng 3" in html
    assert not Participant.objects.exists()
    good = workbook([["Họ và tên", "Huyện"], ["A", "Na Rì"], ["B", "Ba Bể"]])
    response = client.post(url, {"file": SimpleUploadedFile("ds.xlsx", good)})
    assert response.status_code == 302
    assert Participant.objects.filter(event=made).count() == 2
    # a file whose content is not a workbook, whatever its name
    response = client.post(url, {"file": SimpleUploadedFile("ds.xlsx", b"PK\x03\x04broken")})
    assert response.status_code == 200 and Participant.objects.count() == 2


def test_a_district_officer_reads_but_does_not_import(client):
    made = event(place=district("066"))
    login(
        client,
        role=Role.DISTRICT_OFFICER,
        scope_level=ScopeLevel.DISTRICT,
        district=district("066"),
    )
    assert client.get(reverse("events:detail", args=[made.pk])).status_code == 200
    assert client.get(reverse("events:participant_import", args=[made.pk])).status_code == 403


def test_detail_and_attendance_show_counts_per_district(client):
    made = event()
    officer(made, "066", "A")
    officer(made, "066", "B")
    officer(made, "061", "C")
    login(client)
    html = client.get(reverse("events:detail", args=[made.pk])).content.decode()
    assert 'id="by-district"' in html and "Huyện Na Rì" in html
    html = client.get(reverse("events:attendance"), {"year": "2018"}).content.decode()
    table = html[html.index('id="training-by-district"') :]
    assert "Huyện Ba Bể" in table and "Huyện Na Rì" in table
    assert 'id="officers-total">3<' in html


def test_adding_a_participant_by_hand(client):
    made = event()
    login(client)
    response = client.post(
        reverse("events:participant_add", args=[made.pk]),
        {"kind": "officer", "name": "Nông Văn A", "district": district("066").pk},
    )
    assert response.status_code == 302
    assert made.participants.get().district == district("066")


def test_event_list_query_count_does_not_grow(client):
    login(client)
    event()
    client.get(reverse("events:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("events:list"))
    for index in range(10):
        event(title=f"Sự kiện {index}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("events:list"))
    assert len(response.context["object_list"]) == 11
    assert len(many) == len(few)
