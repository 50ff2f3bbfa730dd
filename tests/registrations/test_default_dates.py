"""The registration forms offer days of the registration's period (registrations/dates.py,
from core.dates.default_day), not today: a registration for plan year 2019 is registered in
2018; its appraisal and the council's decision fall in 2018–2019, after the registration (and
after the appraisals). (Before: today's date, which the decision's date rule refuses.)"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.registrations import dates

from . import factories as reg

pytestmark = pytest.mark.django_db
D = datetime.date
BACKEND = "django.contrib.auth.backends.ModelBackend"


def initial(response, field):
    assert response.status_code == 200
    form = response.context["form"]
    return form.initial.get(field, form.fields[field].initial)


def test_a_new_registration_for_the_plan_year_in_view_is_dated_the_year_before(client):
    client.force_login(reg.user(Role.CENTRE_STAFF), backend=BACKEND)
    response = client.get(reverse("registrations:create"), {"target_year": "2019"})
    assert initial(response, "target_year") == 2019
    assert initial(response, "registered_on").year == 2018
    # hostile or absent years keep the usual defaults, never a 500
    for value in ("", "abc", "99999", "-1"):
        assert (
            client.get(reverse("registrations:create"), {"target_year": value}).status_code == 200
        )


def test_the_appraisal_and_the_decision_fall_in_the_registrations_period(client):
    made = reg.submitted()  # plan year 2019, registered 15/05/2018
    client.force_login(reg.user(Role.DEPARTMENT_LEADER), backend=BACKEND)
    appraised = initial(
        client.get(reverse("registrations:appraise", args=[made.pk])), "appraised_on"
    )
    assert D(2018, 5, 15) <= appraised <= D(2019, 12, 31)
    decided = initial(client.get(reverse("registrations:decide", args=[made.pk])), "decision_date")
    assert D(2018, 5, 15) <= decided <= D(2019, 12, 31)


def test_registration_day_is_never_before_the_registration_nor_outside_its_years():
    made = reg.registration()  # plan year 2019, registered 15/05/2018
    assert dates.registration_day(made, today=D(2026, 12, 7)) == D(2019, 12, 31)
    assert dates.registration_day(made, today=D(2018, 1, 3)) == D(2018, 5, 15)
    assert dates.registration_day(made, today=D(2018, 9, 1)) == D(2018, 9, 1)
    later = D(2019, 2, 1)
    assert dates.registration_day(made, not_before=later, today=D(2018, 9, 1)) == later
    assert dates.new_registration_day(2019, today=D(2026, 12, 7)) == D(2018, 12, 31)
