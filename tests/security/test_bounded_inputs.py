"""Issue 18, item 9: numbers from outside are bounded before any query sees them.

The review's three 500s (SQLite ``OverflowError``) are reproduced here: a year past 64 bits on
the project list and its export, a province id of 23 digits on the beneficiary list, a plan
ceiling of thirty nines. Each now answers with the list (the filter ignored, its message shown)
or the form with a Vietnamese message, and writes nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.core import money
from khuyencong.core.bounds import MAX_ID, parse_id, parse_int, parse_year
from khuyencong.core.money import MoneyError, parse_vnd
from khuyencong.plans.models import Plan
from tests.projects.factories import make_plan, make_project, province, source, user

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"
HUGE_YEAR = "9223372036854775808"  # 2**63: one past SQLite's largest integer


@pytest.fixture
def admin_client(client):
    client.force_login(user(Role.SYSTEM_ADMIN), backend=BACKEND)
    client.raise_request_exception = False  # a 500 is a status to assert, not a crash
    return client


def test_a_project_year_past_64_bits_is_refused_with_a_message(admin_client):
    make_project(plan=make_plan(year=2025))
    response = admin_client.get(reverse("projects:list"), {"year": HUGE_YEAR})
    assert response.status_code == 200
    [message] = response.context["filter"].form.errors["year"]
    assert message == "Hãy nhập một số không lớn hơn 2100."
    assert response.context["paginator"].count == 1  # the bad filter is ignored


def test_the_project_export_with_a_year_past_64_bits_is_the_whole_list(admin_client):
    response = admin_client.get(reverse("projects:list"), {"year": HUGE_YEAR, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_province_id_of_23_digits_on_the_beneficiary_list(admin_client):
    response = admin_client.get(
        reverse("beneficiaries:list"), {"province": "99999999999999999999999"}
    )
    assert response.status_code == 200
    assert "province" in response.context["filter"].form.errors


def test_the_same_province_id_on_the_project_list(admin_client):
    response = admin_client.get(reverse("projects:list"), {"province": "9" * 23})
    assert response.status_code == 200
    assert "province" in response.context["filter"].form.errors


def test_a_plan_ceiling_of_thirty_nines_is_refused_and_nothing_is_written(admin_client):
    data = {
        "province": province().pk,
        "year": 2025,
        "funding_source": source("local").pk,
        "title": "Kế hoạch trần khổng lồ",
        "ceiling": "9" * 30,
    }
    response = admin_client.post(reverse("plans:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["ceiling"] == [
        "Số tiền không được vượt quá 1.000.000.000.000.000 đồng."
    ]
    assert not Plan.objects.filter(title="Kế hoạch trần khổng lồ").exists()


# ------------------------------------------------------------------------- the one parser


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        " ",
        "abc",
        "1.5",
        "1e3",
        "NaN",
        "-1",
        "0",
        "²",
        "①",
        "\x00",
        "1\x00",
        "9" * 20,
        "9" * 5000,
        True,
        2**70,
    ],
)
def test_parse_id_refuses_anything_but_a_bounded_whole_number(value):
    assert parse_id(value) is None


def test_parse_id_and_year_take_what_is_in_bounds():
    assert parse_id(" 12 ") == 12
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(MAX_ID + 1) is None
    assert parse_year("2025") == 2025
    assert parse_year("1999") is None
    assert parse_int("-5", minimum=-10, maximum=0) == -5


@pytest.mark.parametrize("text", ["9" * 30, "1.000.001 tỷ", "1000000000000001", 10**15 + 1])
def test_money_past_its_bound_is_refused(text):
    with pytest.raises(MoneyError, match=r"không được vượt quá|cannot exceed"):
        parse_vnd(text)


def test_money_up_to_its_bound_is_taken():
    assert parse_vnd("1.000.000 tỷ") == money.MAX_VND
    assert parse_vnd(money.MAX_VND) == money.MAX_VND


def test_control_characters_are_taken_out_of_query_parameters(admin_client):
    """PostgreSQL refuses NUL in text: ``?q=%00`` reached the search and the export as a 500."""
    response = admin_client.get(reverse("beneficiaries:list"), {"q": "\x00Thử\x07", "x\x00": "1"})
    assert response.status_code == 200
    assert response.context["q"] == "Thử"
    assert response.wsgi_request.GET.dict() == {"q": "Thử", "x": "1"}
    export = admin_client.get(reverse("beneficiaries:list"), {"q": "\x00", "export": "xlsx"})
    assert export.status_code == 200
