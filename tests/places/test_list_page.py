"""The browse page ``places:list``: filters, accent-insensitive search, constant queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.places.factories import bac_kan_legacy, thai_nguyen_current

pytestmark = pytest.mark.django_db

URL = reverse("places:list")


def names(response) -> list[str]:
    return re.findall(r'<a href="/places/\d+/">([^<]+)</a>', response.content.decode())


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_inactive_user_cannot_see_it(client, staff_client):
    from khuyencong.accounts.models import User

    User.objects.update(is_active=False)
    assert staff_client.get(URL).status_code == 302


def test_first_page_in_hierarchy_order(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đơn vị hành chính" in html
    # Current units first (34 provinces by code: 01 Hà Nội, 04 Cao Bằng …), then legacy ones.
    assert names(response)[:2] == ["Thành phố Hà Nội", "Tỉnh Cao Bằng"]
    assert response.context["object_list"][33].level == "province"
    assert response.context["object_list"][34].level == "commune"
    assert response.context["page_obj"].paginator.count == 14_149


def test_filter_by_era_level_and_province(staff_client):
    response = staff_client.get(
        URL, {"era": "legacy", "level": "district", "province": bac_kan_legacy().pk}
    )
    assert names(response) == [
        "Thành Phố Bắc Kạn",
        "Huyện Pác Nặm",
        "Huyện Ba Bể",
        "Huyện Ngân Sơn",
        "Huyện Bạch Thông",
        "Huyện Chợ Đồn",
        "Huyện Chợ Mới",
        "Huyện Na Rì",
    ]
    communes = staff_client.get(URL, {"level": "commune", "province": thai_nguyen_current().pk})
    assert communes.context["page_obj"].paginator.count == 92


def test_search_without_accents_and_valid_on(staff_client):
    response = staff_client.get(URL, {"q": "na ri", "level": "district"})
    assert names(response) == ["Huyện Na Rì"]
    # Best matches first: the commune named Na Rì, then the communes of Huyện Na Rì.
    communes = names(staff_client.get(URL, {"q": "na ri", "level": "commune"}))
    assert communes[0] == "Xã Na Rì"
    assert "Xã Cường Lợi" in communes[1:18]
    assert "Huyện Na Rì, Tỉnh Bắc Kạn" in staff_client.get(URL, {"q": "cuong loi"}).content.decode()
    in_force = staff_client.get(URL, {"q": "cuong loi", "on": "2025-07-01"})
    assert names(in_force) == ["Xã Cường Lợi"]
    assert in_force.context["page_obj"].paginator.count == 1


def test_htmx_request_gets_only_the_results(staff_client):
    response = staff_client.get(URL, {"q": "na ri"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<table" in html
    assert "<nav" not in html.split("<table")[0]  # no page chrome around it
    assert "<html" not in html


@pytest.mark.parametrize("params", [{}, {"level": "commune"}, {"q": "xa", "era": "current"}])
def test_query_count_is_constant(staff_client, django_assert_max_num_queries, params):
    with django_assert_max_num_queries(7):
        response = staff_client.get(URL, params)
    assert len(names(response)) == 50


def test_invalid_filter_value_does_not_break_the_page(staff_client):
    response = staff_client.get(URL, {"province": "abc", "on": "not-a-date"})
    assert response.status_code == 200
