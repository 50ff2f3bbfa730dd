"""Issue 18, item 12: a beneficiary user saw its whole plan's totals on its project page.

The project page showed "The plan's money" (ceiling, allocated, disbursed, free over every
project of the plan) to whoever could open the project, a beneficiary user included: the plan's
sums reveal what the other establishments received. It is now shown only to users who may see
the plan (``plans.view`` on it, the same rule as the plan's own page); the beneficiary sees its
own project's figures.
"""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.beneficiaries.taxcode import with_check_digit
from khuyencong.catalog.models import BeneficiaryKind
from khuyencong.projects.models import Status
from tests.projects.factories import make_plan, make_project, units, user, walk

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"
_numbers = itertools.count(470055501)


def establishment(name: str) -> Beneficiary:
    code = None
    while code is None:
        code = with_check_digit(str(next(_numbers)))
    return Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code="cooperative"),
        name=name,
        tax_code=code,
        commune=units()["02152"],
    )


@pytest.fixture
def two_in_one_plan():
    """One plan (ceiling 900 M), two establishments' projects approved: 100 M and 300 M."""
    plan = make_plan(ceiling=900_000_000, year=2018)
    own = make_project(plan, budget=100_000_000, beneficiary=establishment("HTX Thành Ngân"))
    other = make_project(plan, budget=300_000_000, beneficiary=establishment("HTX Bằng Phúc"))
    for project in (own, other):
        walk(project, Status.APPROVED)
    return own, other


def page(client, person, project):
    client.force_login(person, backend=BACKEND)
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200
    return response


def test_a_beneficiary_user_sees_its_own_project_not_its_plan_totals(client, two_in_one_plan):
    own, _other = two_in_one_plan
    response = page(client, user(Role.BENEFICIARY, beneficiary=own.beneficiary), own)
    html = response.content.decode()
    assert response.context["plan_figures"] is None
    assert 'id="plan-money"' not in html
    for plan_sum in ("900.000.000 đ", "400.000.000 đ", "500.000.000 đ"):  # ceiling, allocated, free
        assert plan_sum not in html, plan_sum
    assert 'id="project-money"' in html and "100.000.000 đ" in html  # its own figures stay
    assert reverse("plans:detail", args=[own.plan_id]) not in html  # a page it may not open


def test_staff_who_may_see_the_plan_still_see_its_totals(client, two_in_one_plan):
    own, _other = two_in_one_plan
    response = page(client, user(Role.CENTRE_STAFF), own)
    figures = response.context["plan_figures"]
    assert (figures.ceiling, figures.allocated) == (900_000_000, 400_000_000)
    assert 'id="plan-money"' in response.content.decode()
