"""Public holidays as data rows: the seed (2018–2027) and the calendar read from them."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.core import holidays
from khuyencong.core.models import PublicHoliday
from khuyencong.core.workdays import WorkCalendar, add_working_days

D = datetime.date
pytestmark = pytest.mark.django_db


def test_the_migration_seeded_every_year_2018_to_2027_unconfirmed():
    rows = PublicHoliday.objects.active()
    years = {day.year for day in rows.values_list("date", flat=True)}
    assert years == set(range(2018, 2028))
    assert not rows.filter(confirmed=True).exists()  # nothing was checked in the notices
    for year in range(2018, 2028):
        for month, day in ((1, 1), (4, 30), (5, 1), (9, 2)):
            assert rows.filter(date=D(year, month, day)).exists(), (year, month, day)
        # Tết: five weekdays off around the lunar new year
        first_day, tet_days, _note = holidays.TET_DAYS[year]
        assert len(tet_days) == 5
        assert all(rows.filter(date=day).exists() for day in tet_days)
        assert first_day in tet_days or first_day.weekday() >= 5


@pytest.mark.parametrize(
    ("year", "tet"),
    [
        (2018, D(2018, 2, 16)),
        (2020, D(2020, 1, 25)),
        (2024, D(2024, 2, 10)),
        (2026, D(2026, 2, 17)),
    ],
)
def test_tet_dates(year, tet):
    assert holidays.TET_DAYS[year][0] == tet


def test_the_day_next_to_national_day_exists_from_2021_only():
    next_days = PublicHoliday.objects.filter(name=holidays.NATIONAL_DAY_NEXT)
    assert {day.year for day in next_days.values_list("date", flat=True)} == set(range(2021, 2028))


def test_seeding_again_adds_nothing_and_keeps_edits():
    row = PublicHoliday.objects.get(date=D(2018, 4, 25))
    row.name = "Giỗ Tổ (đã sửa)"
    row.confirmed = True
    row.save()
    assert holidays.seed_public_holidays() == 0
    row.refresh_from_db()
    assert (row.name, row.confirmed) == ("Giỗ Tổ (đã sửa)", True)


def test_the_database_calendar_drives_the_arithmetic():
    calendar = WorkCalendar.from_database()
    assert add_working_days(D(2018, 4, 6), 15, calendar) == D(2018, 5, 2)
    assert calendar.is_working_day(D(2019, 5, 4))  # make-up Saturday
    PublicHoliday.objects.get(date=D(2018, 4, 25)).archive()  # an admin removes a row
    assert add_working_days(D(2018, 4, 6), 15, WorkCalendar.from_database()) == D(2018, 4, 27)


def test_one_active_row_per_date():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PublicHoliday.objects.create(date=D(2018, 1, 1), name="Trùng")
