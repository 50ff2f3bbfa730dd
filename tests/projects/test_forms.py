"""Form pieces: money typed the Vietnamese way, the step form's fields following the table's
guards, the place of any level in force on the project's date."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.money import group_thousands
from khuyencong.projects import lifecycle
from khuyencong.projects.fields import MoneyField, PlaceField
from khuyencong.projects.forms import TransitionForm
from khuyencong.projects.models import Budget, EventKind, Project
from khuyencong.projects.selectors import ProjectState

from .factories import units


@pytest.mark.parametrize(
    ("typed", "value"),
    [("70.000.000", 70_000_000), ("70 triệu", 70_000_000), ("1,5 tỷ", 1_500_000_000), ("0", 0)],
)
def test_money_is_typed_the_vietnamese_way(typed, value):
    assert MoneyField().clean(typed) == value


def test_bad_money_is_refused_in_vietnamese():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        MoneyField().clean("-5")
    assert caught.value.messages == ["Số tiền không thể âm."]
    assert MoneyField(required=False).clean("") is None
    assert MoneyField(required=False, empty_zero=True).clean("") == 0


@given(st.integers(min_value=0, max_value=10**15))
def test_money_shown_is_read_back(amount):
    field = MoneyField()
    assert field.clean(field.prepare_value(amount)) == amount
    assert field.prepare_value(amount) == group_thousands(amount)


def state(**kwargs):
    values = {
        "day": datetime.date(2018, 6, 30),
        "status": "in_progress",
        "under_review": False,
        "progress_percent": 100,
        "advanced": 0,
        "disbursed": 10_000_000,
        "budget": Budget(local=50_000_000),
        "plan_budget": 50_000_000,
        "accepted_amount": None,
        "settled_amount": None,
        "retained_amount": None,
    }
    return ProjectState(**{**values, **kwargs})


@pytest.mark.parametrize("row", lifecycle.TRANSITIONS, ids=lambda row: row.kind)
def test_the_step_form_asks_what_the_row_needs(row):
    project = Project(budget_local=50_000_000, version=3)
    form = TransitionForm(project=project, row=row, state=state())
    guards = {guard.__name__ for guard in row.guards}
    assert form.fields["document_number"].required == ("document_given" in guards)
    assert form.fields["reason"].required == ("reason_given" in guards)
    takes_amount = row.kind in (EventKind.ACCEPT, EventKind.SETTLE)
    assert ("amount" in form.fields) == takes_amount
    if "no_amount" in guards:
        assert "amount" not in form.fields and "budget_local" not in form.fields
    assert ("budget_local" in form.fields) == (row.kind == EventKind.APPROVE_ADJUSTMENT)
    assert form.fields["expected_version"].initial == 3
    assert "attachment" not in form.fields  # only for users who may file documents


def test_the_new_budget_is_none_when_unchanged():
    project = Project(budget_local=50_000_000, version=1)
    row = lifecycle.BY_KIND[EventKind.APPROVE_ADJUSTMENT]
    data = {
        "effective_date": "2018-07-01",
        "document_number": "1/QĐ",
        "budget_national": "0",
        "budget_local": "50.000.000",
        "budget_counterpart": "0",
        "budget_other": "0",
        "expected_version": "1",
    }
    form = TransitionForm(data, project=project, row=row, state=state())
    assert form.is_valid(), form.errors
    assert form.service_arguments()["new_budget"] is None
    form = TransitionForm(
        {**data, "budget_local": "40.000.000"}, project=project, row=row, state=state()
    )
    assert form.is_valid()
    assert form.service_arguments()["new_budget"] == Budget(local=40_000_000)


@pytest.mark.django_db
def test_a_place_may_be_a_commune_a_district_or_the_province():
    field = PlaceField(valid_on=datetime.date(2018, 1, 1))
    for code in ("02152", "066", "06"):
        assert field.clean(str(units()[code].pk)) == units()[code]
    later = PlaceField(valid_on=datetime.date(2026, 1, 1))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        later.clean(str(units()["02152"].pk))
    assert caught.value.code == "not_valid_on"
    assert later.widget.level is None and later.widget.valid_on is None  # every level, both eras
