"""The events pages in Vietnamese: the participant's organisation is not a unit of measure,
a held event is "Đã tổ chức", booths belong to trade fairs only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from khuyencong.events.models import EventKind, Participant, ParticipantKind
from tests.accounts.factories import UserFactory

from .factories import event

pytestmark = pytest.mark.django_db


def test_training_conference_page_wording(client):
    client.force_login(UserFactory())
    training = event(title="Tập huấn kỹ năng quản lý", booths_supported=0)
    Participant.objects.create(
        event=training, kind=ParticipantKind.OFFICER, name="Nguyễn Văn A", unit="Sở Công Thương"
    )
    html = client.get(reverse("events:detail", args=[training.pk])).content.decode()
    assert "<th>Đơn vị công tác</th>" in html
    assert "Đơn vị tính" not in html
    assert "gian hàng" not in html.lower()  # no booths at a training conference


def test_trade_fair_page_shows_booths(client):
    client.force_login(UserFactory())
    fair = event(kind=EventKind.TRADE_FAIR, title="Hội chợ hàng CNNT", booths_supported=12)
    html = client.get(reverse("events:detail", args=[fair.pk])).content.decode()
    assert "Số gian hàng được hỗ trợ" in html and "Gian hàng được hỗ trợ" in html


def test_attendance_summary_says_held_not_done(client):
    client.force_login(UserFactory())
    event()
    html = client.get(reverse("events:attendance")).content.decode()
    assert "Đã tổ chức" in html
    assert ">Thực hiện<" not in html
