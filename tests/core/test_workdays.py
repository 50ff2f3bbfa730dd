"""core/workdays.py: Vietnamese working days over a calendar given as data."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.core.workdays import (
    WorkCalendar,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = datetime.date
# Bắc Kạn, spring 2018: Giỗ Tổ 25/4 (Wed), 30/4 (Mon) and 1/5 (Tue).
SPRING_2018 = {D(2018, 4, 25), D(2018, 4, 30), D(2018, 5, 1)}


@pytest.mark.parametrize(
    ("start", "n", "holidays", "expected"),
    [
        (D(2018, 4, 6), 1, set(), D(2018, 4, 9)),  # Friday + 1 = Monday
        (D(2018, 4, 7), 1, set(), D(2018, 4, 9)),  # from a Saturday
        (D(2018, 4, 6), 0, set(), D(2018, 4, 6)),
        (D(2018, 4, 6), 15, set(), D(2018, 4, 27)),  # three weeks
        (D(2018, 4, 6), 15, SPRING_2018, D(2018, 5, 2)),  # complaint window of the demo
        (D(2018, 4, 20), 10, SPRING_2018, D(2018, 5, 9)),  # resolution window of the demo
        (D(2018, 4, 24), 1, SPRING_2018, D(2018, 4, 26)),  # skips Giỗ Tổ
    ],
)
def test_add_working_days(start, n, holidays, expected):
    assert add_working_days(start, n, holidays) == expected


def test_a_make_up_saturday_is_a_working_day():
    calendar = WorkCalendar(
        holidays=frozenset({D(2019, 4, 29)}), working_weekend_days=frozenset({D(2019, 5, 4)})
    )
    assert not calendar.is_working_day(D(2019, 4, 29))  # swapped Monday off
    assert calendar.is_working_day(D(2019, 5, 4))  # Saturday worked instead
    assert not calendar.is_working_day(D(2019, 5, 5))
    assert add_working_days(D(2019, 5, 3), 1, calendar) == D(2019, 5, 4)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2018, 1, 1), -1)


def test_weekends_are_off_without_any_data():
    assert not is_working_day(D(2018, 4, 7))
    assert not is_working_day(D(2018, 4, 8))
    assert is_working_day(D(2018, 4, 9))


days = st.dates(min_value=D(2017, 1, 1), max_value=D(2028, 12, 31))
holiday_sets = st.frozensets(
    st.dates(min_value=D(2017, 1, 1), max_value=D(2029, 12, 31)), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=0, max_value=60), holiday_sets)
def test_the_result_is_the_nth_working_day_after_the_start(start, n, holidays):
    end = add_working_days(start, n, holidays)
    assert working_days_between(start, end, holidays) == n
    assert end >= start + datetime.timedelta(days=n)
    if n:
        assert is_working_day(end, holidays)
        assert end not in holidays and end.weekday() < 5


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=0, max_value=40), holiday_sets, st.dates())
def test_more_holidays_never_shorten_a_period(start, n, holidays, extra):
    assert add_working_days(start, n, holidays | {extra}) >= add_working_days(start, n, holidays)
    assert add_working_days(start, n + 1, holidays) > add_working_days(start, n, holidays)
