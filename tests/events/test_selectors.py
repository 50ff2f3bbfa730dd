"""Attendance counts per district and the as-of summary (reports and dashboard)."""

from __future__ import annotations

import pytest

from khuyencong.events import selectors
from khuyencong.events.models import Event, EventKind, EventStatus, Participant, ParticipantKind

from .factories import D, bac_kan, district, event, officer

pytestmark = pytest.mark.django_db


def test_attendance_per_district_counts_officers_and_establishments():
    training = event()
    for name in ("A", "B"):
        officer(training, "066", name)
    officer(training, "061", "C")
    officer(training, None, "D")
    Participant.objects.create(
        event=training, kind=ParticipantKind.ESTABLISHMENT, name="HTX", district=district("066")
    )
    rows = selectors.attendance_by_district(Event.objects.filter(pk=training.pk))
    assert rows == [
        {"district": "Huyện Ba Bể", "officers": 1, "establishments": 0, "total": 1},
        {"district": "Huyện Na Rì", "officers": 2, "establishments": 1, "total": 3},
        {"district": None, "officers": 1, "establishments": 0, "total": 1},
    ]


def test_officers_trained_count_only_conferences_held_by_the_date():
    held = event(start_date=D(2018, 3, 1), end_date=D(2018, 3, 2))
    later = event(start_date=D(2018, 9, 25), end_date=D(2018, 9, 26))
    cancelled = event(
        status=EventStatus.CANCELLED, start_date=D(2018, 4, 1), end_date=D(2018, 4, 1)
    )
    fair = event(kind=EventKind.TRADE_FAIR, start_date=D(2018, 3, 1), end_date=D(2018, 3, 5))
    for made in (held, later, cancelled, fair):
        officer(made, "066")
    officer(later, "061")
    ids = {bac_kan().pk}
    half_year = selectors.officers_trained_by_district(
        province_ids=ids, start=D(2018, 1, 1), end=D(2018, 6, 30)
    )
    assert half_year == [{"district": "Huyện Na Rì", "officers": 1}]
    year = selectors.officers_trained_by_district(
        province_ids=ids, start=D(2018, 1, 1), end=D(2018, 12, 31)
    )
    assert year == [
        {"district": "Huyện Ba Bể", "officers": 1},
        {"district": "Huyện Na Rì", "officers": 2},
    ]


def test_summary_as_of_a_date():
    event(start_date=D(2018, 9, 25), end_date=D(2018, 9, 26), cost=28_500_000)
    event(
        kind=EventKind.TRADE_FAIR,
        start_date=D(2018, 6, 13),
        end_date=D(2018, 6, 17),
        booths_supported=4,
        cost=38_000_000,
    )
    summary = selectors.summary(Event.objects.all(), D(2018, 6, 30))
    assert summary["per_kind"][EventKind.TRAINING]["held"] == 0
    assert summary["per_kind"][EventKind.TRAINING]["planned"] == 1
    assert summary["per_kind"][EventKind.TRADE_FAIR]["held"] == 1
    assert (summary["booths"], summary["cost"]) == (4, 38_000_000)


def test_status_on_a_date():
    training = event(start_date=D(2018, 9, 25), end_date=D(2018, 9, 26))
    assert training.status_on(D(2018, 6, 30)) == EventStatus.PLANNED
    assert training.status_on(D(2018, 9, 26)) == EventStatus.HELD


def test_an_event_takes_its_scope_from_its_place():
    at_district = event(place=district("066"))
    assert (at_district.province_id, at_district.district_id) == (bac_kan().pk, district("066").pk)
