"""Django admin for the units: read-mostly, accent-insensitive search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from khuyencong.accounts.models import User
from tests.places.factories import cuong_loi_legacy

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("places-admin", "admin@example.org", "a-long-password-1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_changelist_search_without_accents(admin_client, django_assert_max_num_queries):
    url = reverse("admin:places_adminunit_changelist")
    with django_assert_max_num_queries(12):
        response = admin_client.get(url, {"q": "cuong loi na ri"})
    assert response.status_code == 200
    assert "Xã Cường Lợi" in response.content.decode()
    assert list(response.context["cl"].result_list) == [cuong_loi_legacy()]


def test_units_cannot_be_added_or_deleted_but_can_be_viewed(admin_client):
    unit = cuong_loi_legacy()
    assert admin_client.get(reverse("admin:places_adminunit_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:places_adminunit_delete", args=[unit.pk])).status_code
        == 403
    )
    change = admin_client.get(reverse("admin:places_adminunit_change", args=[unit.pk]))
    assert change.status_code == 200
    assert "Xã Cường Lợi" in change.content.decode()


def test_successions_search_either_side(admin_client):
    url = reverse("admin:places_adminunitsuccession_changelist")
    response = admin_client.get(url, {"q": "van vu na ri"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1
    both = admin_client.get(url, {"q": "cuong loi thai nguyen"})
    # Cường Lợi and Văn Vũ (Na Rì) both became Xã Cường Lợi, Thái Nguyên.
    assert len(both.context["cl"].result_list) == 2
