"""``places:search``, the picker's htmx endpoint."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.places.factories import cuong_loi_legacy

pytestmark = pytest.mark.django_db

URL = reverse("places:search")


def options(response) -> list[tuple[str, str]]:
    html = response.content.decode()
    return re.findall(r'data-picker-value="(\d+)" data-picker-label="([^"]+)"', html)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL, {"q": "na ri"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_returns_clickable_options_with_full_path_and_era(staff_client):
    response = staff_client.get(URL, {"q": "cuong loi", "level": "commune", "on": "2018-06-30"})
    assert response.status_code == 200
    assert options(response) == [
        (str(cuong_loi_legacy().pk), "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn"),
        (options(response)[1][0], "Xã Cường Lợi, Huyện Đình Lập, Tỉnh Lạng Sơn"),
    ]
    assert "đến 30/6/2025" in response.content.decode()  # the era badge, in Vietnamese


def test_respects_level_and_date(staff_client):
    districts = options(staff_client.get(URL, {"q": "na ri", "level": "district"}))
    assert [label for _, label in districts] == ["Huyện Na Rì, Tỉnh Bắc Kạn"]
    after = options(staff_client.get(URL, {"q": "na ri", "level": "district", "on": "2025-07-01"}))
    assert after == []  # districts ended on 30 June 2025
    current = options(staff_client.get(URL, {"q": "cuong loi", "on": "2025-07-01"}))
    assert [label for _, label in current] == ["Xã Cường Lợi, Tỉnh Thái Nguyên"]


def test_at_most_twenty_with_a_hint(staff_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = staff_client.get(URL, {"q": "xa", "level": "commune"})
    assert len(options(response)) == 20
    assert "Chỉ hiện 20 kết quả đầu tiên" in response.content.decode()


def test_bad_input_gets_a_vietnamese_message(staff_client):
    response = staff_client.get(URL, {"q": "na ri", "on": "30/02/2018"})
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()
    assert options(response) == []
    response = staff_client.get(URL, {"q": "na ri", "level": "hamlet"})
    assert "Cấp hành chính không hợp lệ" in response.content.decode()


def test_no_match_says_so(staff_client):
    response = staff_client.get(URL, {"q": "zzzz"})
    assert "Không có đơn vị hành chính nào phù hợp" in response.content.decode()
    assert staff_client.get(URL, {"q": ""}).content.decode().strip() == ""
