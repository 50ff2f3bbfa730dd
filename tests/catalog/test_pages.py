"""Catalog pages: everyone signed in reads; only a system administrator edits, archives."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from khuyencong.accounts.models import Role
from khuyencong.catalog.models import ContentArea, FundingSource
from khuyencong.catalog.views import CATALOGS
from tests.factories import UserFactory

SLUGS = list(CATALOGS)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def reader(db):
    return UserFactory(role=Role.JURY_MEMBER)


@pytest.fixture
def admin(db):
    return UserFactory(role=Role.SYSTEM_ADMIN)


def codes(response) -> list[str]:
    return [row["obj"].code for row in response.context["rows"]]


def list_url(slug: str) -> str:
    return reverse("catalog:list", args=[slug])


@pytest.mark.django_db
def test_index_lists_every_catalog_with_counts(client, reader):
    client.force_login(reader)
    response = client.get(reverse("catalog:index"))
    assert response.status_code == 200
    rows = {row["catalog"].slug: row for row in response.context["rows"]}
    assert set(rows) == set(SLUGS)
    assert rows["funding-sources"]["active"] == 3
    assert rows["legal-bases"]["unconfirmed"] >= 1


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_every_signed_in_user_reads_every_list_without_edit_buttons(client, reader, slug):
    client.force_login(reader)
    response = client.get(list_url(slug))
    assert response.status_code == 200
    assert response.context["rows"]
    assert reverse("catalog:create", args=[slug]) not in response.content.decode()


@pytest.mark.django_db
def test_list_queries_stay_constant(client, reader, django_assert_max_num_queries):
    client.force_login(reader)
    with django_assert_max_num_queries(8):
        response = client.get(list_url("content-areas"))
    assert len(response.context["rows"]) > 30


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(client):
    assert client.get(reverse("catalog:index")).status_code == 302
    assert client.get(list_url("industries")).status_code == 302


@pytest.mark.django_db
def test_unknown_catalog_is_404(client, reader):
    client.force_login(reader)
    assert client.get(list_url("nothing-here")).status_code == 404


@pytest.mark.django_db
def test_search_without_accents_and_filters(client, reader):
    client.force_login(reader)
    url = list_url("content-areas")
    assert codes(client.get(url, {"q": "dao tao nghe"}))[0] == "art4_1"
    assert "trade_fair" in codes(client.get(url, {"q": "HOI CHO"}))
    group = ContentArea.objects.get(code="art4_4")
    assert set(codes(client.get(url, {"parent": group.pk}))) == {
        "art4_4",
        "product_vote",
        "trade_fair",
        "brand",
        "showroom",
    }
    unconfirmed = codes(client.get(url, {"confirmed": "no"}))
    assert "digital_transformation" in unconfirmed and "machinery" not in unconfirmed


@pytest.mark.django_db
def test_non_admin_cannot_create_edit_or_archive(client, reader):
    client.force_login(UserFactory(role=Role.CENTRE_STAFF))
    row = FundingSource.objects.get(code="other")
    assert client.get(reverse("catalog:create", args=["funding-sources"])).status_code == 403
    assert client.get(reverse("catalog:edit", args=["funding-sources", row.pk])).status_code == 403
    url = reverse("catalog:archive", args=["funding-sources", row.pk])
    assert client.post(url).status_code == 403
    row.refresh_from_db()
    assert not row.is_archived


@pytest.mark.django_db
def test_admin_creates_a_row(client, admin):
    client.force_login(admin)
    url = reverse("catalog:create", args=["funding-sources"])
    data = {
        "code": "oda",
        "short_name": "ODA",
        "name": "Vốn ODA",
        "name_en": "ODA",
        "sort_order": 40,
        "confirmed": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    row = FundingSource.objects.get(code="oda")
    assert row.name == "Vốn ODA" and row.search_text.startswith("oda oda von oda")


@pytest.mark.django_db
def test_bad_input_is_refused_in_vietnamese_and_changes_nothing(client, admin):
    client.force_login(admin)
    count = FundingSource.objects.count()
    url = reverse("catalog:create", args=["funding-sources"])
    response = client.post(
        url,
        {
            "code": "Có Dấu!",
            "name": "",
            "sort_order": "-1",
            "valid_from": "2025-10-15",
            "valid_to": "2020-01-01",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"code", "name", "sort_order", "valid_to"}
    assert "chữ thường" in errors["code"][0]
    assert "trước ngày bắt đầu" in errors["valid_to"][0]
    duplicate = client.post(url, {"code": "national", "name": "Trùng", "sort_order": 1})
    assert "code" in duplicate.context["form"].errors
    assert FundingSource.objects.count() == count


@pytest.mark.django_db
def test_admin_edits_but_cannot_change_the_code(client, admin):
    client.force_login(admin)
    row = FundingSource.objects.get(code="local")
    url = reverse("catalog:edit", args=["funding-sources", row.pk])
    data = {
        "code": "changed",
        "short_name": "KCĐP",
        "name": "Khuyến công địa phương (tỉnh)",
        "name_en": row.name_en,
        "sort_order": row.sort_order,
        "confirmed": "on",
        "expected_version": row.version,
    }
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert (row.code, row.name, row.version) == ("local", "Khuyến công địa phương (tỉnh)", 2)
    stale = client.post(url, {**data, "name": "Ghi đè"})
    assert stale.status_code == 200
    assert stale.context["current"].version == 2
    row.refresh_from_db()
    assert row.name == "Khuyến công địa phương (tỉnh)"


@pytest.mark.django_db
def test_content_area_parent_must_be_a_group(client, admin):
    client.force_login(admin)
    group = ContentArea.objects.get(code="art4_1")
    url = reverse("catalog:edit", args=["content-areas", group.pk])
    other_group = ContentArea.objects.get(code="art4_2")
    data = {
        "parent": other_group.pk,
        "name": group.name,
        "name_en": group.name_en,
        "sort_order": group.sort_order,
        "expected_version": group.version,
    }
    response = client.post(url, data)
    assert "parent" in response.context["form"].errors
    group.refresh_from_db()
    assert group.parent is None


@pytest.mark.django_db
def test_archive_hides_the_row_and_restore_brings_it_back(client, admin):
    client.force_login(admin)
    row = FundingSource.objects.get(code="other")
    assert (
        client.get(reverse("catalog:archive", args=["funding-sources", row.pk])).status_code == 405
    )
    client.post(reverse("catalog:archive", args=["funding-sources", row.pk]))
    row.refresh_from_db()
    assert row.is_archived
    assert "other" not in codes(client.get(list_url("funding-sources")))
    assert codes(client.get(list_url("funding-sources"), {"archived": "yes"})) == ["other"]
    assert not FundingSource.objects.selectable().filter(pk=row.pk).exists()
    client.post(reverse("catalog:restore", args=["funding-sources", row.pk]))
    row.refresh_from_db()
    assert not row.is_archived
    assert FundingSource.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["fundingsource", "contentarea", "industry", "beneficiarykind", "legalbasis"]
)
def test_admin_pages_load(admin_client, model):
    changelist = admin_client.get(reverse(f"admin:catalog_{model}_changelist"))
    assert changelist.status_code == 200
    first = changelist.context["cl"].result_list[0]
    assert (
        admin_client.get(reverse(f"admin:catalog_{model}_change", args=[first.pk])).status_code
        == 200
    )
    # the admin's history is the record's page of the audit trail
    history = admin_client.get(reverse(f"admin:catalog_{model}_history", args=[first.pk]))
    assert history.status_code == 302
    assert history["Location"] == reverse(
        "trust:history", args=[ContentType.objects.get_for_model(first).pk, first.pk]
    )
    assert admin_client.get(history["Location"]).status_code == 200
