"""Training conferences and trade fairs flow into the report (issue 8): the officers trained
per district, the fairs attended with their booths, and what is still to come, as of the
report's date."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.demo import events as event_demo
from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.reports import compose
from khuyencong.reports.builder import build_report
from khuyencong.reports.data import EventFigures
from tests.reports.factories import report as report_data

D = datetime.date


def test_the_events_line_counts_and_names_each_district():
    data = report_data(
        as_of=D(2018, 12, 31),
        events=EventFigures(
            trainings_held=1,
            officers_trained=(("Huyện Ba Bể", 3), ("Thành phố Bắc Kạn", 12)),
            fairs_held=2,
            establishments_at_fairs=10,
            booths=10,
            fairs_planned=1,
        ),
    )
    assert compose.events_line(data) == (
        "Về hội nghị tập huấn, hội chợ triển lãm (đến ngày 31/12/2018): đã tổ chức 01 hội nghị "
        "tập huấn cho 15 cán bộ (Huyện Ba Bể: 3, Thành phố Bắc Kạn: 12); đã tham gia 02 hội chợ "
        "triển lãm (10 gian hàng được hỗ trợ, 10 cơ sở tham gia); 01 hội chợ triển lãm chưa "
        "diễn ra."
    )
    assert compose.events_line(report_data(events=EventFigures())) == ""
    assert compose.events_line(report_data(events=None)) == ""


@pytest.mark.django_db
def test_the_demo_report_at_30_june_has_the_fair_and_the_conference_still_to_come(demo):
    data = build_report(user=demo.users["canbo"], province=demo.province, year=2018, period="H1")
    fair = event_demo.FAIRS[0]
    assert data.events == EventFigures(
        trainings_planned=1,
        fairs_held=1,
        fairs_planned=1,
        booths=fair["booths"],
        establishments_at_fairs=len(fair["establishments"]),
    )
    body = compose.as_text(compose.compose_section_one(data))
    assert "01 hội nghị tập huấn chưa tổ chức" in body


@pytest.mark.django_db
def test_the_year_report_counts_the_officers_trained_per_district(demo):
    data = build_report(user=demo.users["canbo"], province=demo.province, year=2018, period="Y")
    expected = {}
    for code, officers in event_demo.OFFICERS.items():
        district = AdminUnit.objects.get(era=Era.LEGACY, level=Level.DISTRICT, code=code)
        expected[district.name] = len(officers)
    assert dict(data.events.officers_trained) == expected
    assert data.events.trainings_held == 1 and data.events.trainings_planned == 0
    assert data.events.fairs_held == 2
    assert data.events.booths == sum(fair["booths"] for fair in event_demo.FAIRS)
    body = compose.as_text(compose.compose_section_one(data))
    assert f"cho {sum(expected.values())} cán bộ" in body
