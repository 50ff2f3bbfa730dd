"""The demo's 2018 training conference and trade fairs, as the seed tells them."""

from __future__ import annotations

import pytest

from khuyencong.demo import loader, run
from khuyencong.demo.events import TRAINING_TITLE, load_bac_kan_2018_events
from khuyencong.events import selectors
from khuyencong.events.models import Event, EventKind, EventStatus

from .factories import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    run.load_demo()


def test_the_conference_is_not_yet_held_at_30_june_2018(demo):
    training = Event.objects.get(title=TRAINING_TITLE)
    assert training.project.code == "BK-KCDP-2018-09"
    assert training.status_on(D(2018, 6, 30)) == EventStatus.PLANNED
    assert training.status_on(D(2018, 12, 31)) == EventStatus.HELD
    assert training.participants.count() == 18


def test_trade_fairs_belong_to_the_seed_project(demo):
    fairs = Event.objects.filter(kind=EventKind.TRADE_FAIR).order_by("start_date")
    assert [f.project.title for f in fairs] == [
        "Tham gia hội chợ triển lãm giới thiệu quảng bá sản phẩm CNNT tỉnh Bắc Kạn"
    ] * 2
    assert sum(f.cost for f in fairs) == fairs[0].project.budget_local  # 80 triệu đồng
    half_year = selectors.summary(Event.objects.all(), D(2018, 6, 30))
    assert half_year["per_kind"][EventKind.TRADE_FAIR]["held"] == 1
    assert half_year["per_kind"][EventKind.TRAINING]["held"] == 0


def test_officers_trained_per_district_in_2018(demo):
    rows = selectors.officers_trained_by_district(
        province_ids={loader.bac_kan().pk}, start=D(2018, 1, 1), end=D(2018, 12, 31)
    )
    assert len(rows) == 8  # the city and the seven districts of Bắc Kạn
    assert sum(row["officers"] for row in rows) == 18
    assert {"district": "Huyện Na Rì", "officers": 3} in rows


def test_the_step_is_idempotent(demo):
    count = Event.objects.count()
    assert load_bac_kan_2018_events()["events_created"] == 0
    assert Event.objects.count() == count == 3
