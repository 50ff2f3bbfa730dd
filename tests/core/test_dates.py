"""Date fields: typed and shown dd/mm/yyyy in every language; defaults from the period."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import translation

from khuyencong.core.dates import default_day
from khuyencong.core.forms import StyledForm

D = datetime.date
TODAY = D(2026, 12, 7)


@pytest.mark.parametrize(
    ("first", "last", "not_before", "expected"),
    [
        (2018, None, None, D(2018, 12, 31)),  # past plan: its last day, not today
        (2018, 2020, None, D(2020, 12, 31)),  # a plan for a period: the period's end
        (2026, None, None, TODAY),  # the current plan: today
        (2027, None, None, D(2027, 1, 1)),  # next year's plan: its first day
        (2018, None, D(2019, 3, 2), D(2019, 3, 2)),  # never before the last recorded step
        (None, None, None, TODAY),  # no plan: today
    ],
)
def test_default_day_comes_from_the_period(first, last, not_before, expected):
    assert default_day(first, last, not_before=not_before, today=TODAY) == expected


class DayForm(StyledForm):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_date_is_typed_and_shown_day_first_in_every_language(language):
    with translation.override(language):
        form = DayForm({"day": "30/06/2018"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == D(2018, 6, 30)
        html = str(DayForm(initial={"day": D(2018, 6, 30)})["day"])
    assert 'type="text"' in html and 'value="30/06/2018"' in html
    assert "data-date-input" in html  # site.js adds the calendar button
    assert 'type="date"' not in html  # the browser's own field would follow its locale


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_month_first_date_is_refused_with_a_message(language):
    with translation.override(language):
        form = DayForm({"day": "06/30/2018"})
        assert not form.is_valid() and form.errors["day"]
