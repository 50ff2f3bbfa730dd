"""The unit page: parents, children, predecessors and successors, coordinates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.places.factories import bac_kan_legacy, cuong_loi_legacy, thai_nguyen_current

pytestmark = pytest.mark.django_db


def page(client, unit) -> str:
    response = client.get(reverse("places:detail", args=[unit.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_legacy_commune_shows_parents_successor_and_coordinates(
    staff_client, django_assert_max_num_queries
):
    unit = cuong_loi_legacy()
    with django_assert_max_num_queries(8):
        html = page(staff_client, unit)
    assert "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn" in html
    assert f'href="/places/{unit.parent.pk}/">Huyện Na Rì</a>' in html
    assert "Từ ngày 1/7/2025 trở thành" in html
    assert "Xã Cường Lợi, Tỉnh Thái Nguyên</a>" in html
    assert "22.27527, 106.21103" in html
    assert "Có hiệu lực đến 30/06/2025" in html


def test_current_commune_lists_its_predecessors(staff_client):
    new = cuong_loi_legacy().successions.get().successor
    html = page(staff_client, new)
    assert "Xã Văn Vũ, Huyện Na Rì, Tỉnh Bắc Kạn</a>" in html
    assert "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn</a>" in html


def test_province_pages_list_children_and_merger(staff_client):
    html = page(staff_client, bac_kan_legacy())
    assert "8 đơn vị trực thuộc" in html
    assert ">Huyện Na Rì</a>" in html
    assert "Tỉnh Thái Nguyên</a>" in html  # its successor
    current = page(staff_client, thai_nguyen_current())
    assert "92 đơn vị trực thuộc" in current
    assert "Tỉnh Bắc Kạn</a>" in current  # merged into it


def test_unknown_unit_is_404(staff_client):
    assert staff_client.get(reverse("places:detail", args=[999_999_999])).status_code == 404
