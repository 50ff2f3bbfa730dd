"""A contest's forms offer days of the contest's own period (contests/dates.py, from
core.dates.default_day), not today: a 2018 contest opened in 2026 offers its entry a day of
its registration window, its result a day after the judging, a complaint a day after the
announcement. (Before: today's date, refused by the contest's date rules.)"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from khuyencong.contests import dates, services

from .factories import REGISTRATION, judging_contest, new_contest, score, staff

pytestmark = pytest.mark.django_db
D = datetime.date
BACKEND = "django.contrib.auth.backends.ModelBackend"


def initial(client, name, pk, field):
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    form = response.context["form"]
    return form.initial.get(field, form.fields[field].initial)


def test_a_2018_entry_is_registered_inside_its_window_not_today(client):
    contest = new_contest()
    services.open_registration(contest=contest, actor=None)
    client.force_login(staff(), backend=BACKEND)
    day = initial(client, "contests:entry_create", contest.pk, "registered_on")
    assert REGISTRATION[0] <= day <= REGISTRATION[1]


def test_the_result_and_the_decision_follow_the_judging_in_the_contests_year(client):
    contest, entries, users = judging_contest()
    for made in entries:
        for user in users:
            score(contest, made, user, 75)
    services.close_panel(contest=contest, actor=users[0])
    client.force_login(staff(), backend=BACKEND)
    announced = initial(client, "contests:announce", contest.pk, "announced_on")
    assert contest.judging_on <= announced <= D(2018, 12, 31)
    client.post(
        reverse("contests:announce", args=[contest.pk]),
        {"announced_on": "2018-04-06", "recognised": [entries[0].pk]},
    )
    complaint = initial(client, "contests:complaint_add", contest.pk, "received_on")
    assert D(2018, 4, 6) <= complaint <= D(2018, 12, 31)
    decided = initial(client, "contests:decision", contest.pk, "decision_date")
    assert D(2018, 4, 6) <= decided <= D(2018, 12, 31)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 12, 7), REGISTRATION[1]),  # years later: the window's last day
        (D(2018, 3, 1), D(2018, 3, 1)),  # inside the window: today
        (D(2017, 6, 1), REGISTRATION[0]),  # before it opens: its first day
    ],
)
def test_entry_day(today, expected):
    contest = new_contest()
    assert dates.entry_day(contest, today=today) == expected
