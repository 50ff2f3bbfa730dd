"""The beneficiary list: constant queries, search without accents, filters, scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from tests.beneficiaries.factories import BeneficiaryFactory, kind
from tests.factories import UserFactory

LIST = reverse("beneficiaries:list")


def names(response) -> set[str]:
    return {b.name for b in response.context["object_list"]}


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_rows(client, places, staff_a, django_assert_max_num_queries):
    client.force_login(staff_a)
    BeneficiaryFactory.create_batch(5, commune=places.commune_a1)
    few = count_queries(client, LIST)
    BeneficiaryFactory.create_batch(25, commune=places.commune_a2)
    with django_assert_max_num_queries(few):
        response = client.get(LIST)
    assert len(response.context["object_list"]) == 25  # one page of 30 rows
    assert response.context["paginator"].count == 30


@pytest.mark.django_db
def test_search_ignores_accents_and_case(client, places, staff_a):
    BeneficiaryFactory(
        name="HKD Lại Văn Tú", kind=kind("household"), tax_code="", commune=places.commune_a1
    )
    BeneficiaryFactory(name="HTX Thành Long", commune=places.commune_a1)
    client.force_login(staff_a)
    assert names(client.get(LIST, {"q": "lai van tu"})) == {"HKD Lại Văn Tú"}
    assert names(client.get(LIST, {"q": "LẠI  văn"})) == {"HKD Lại Văn Tú"}
    assert names(client.get(LIST, {"q": "thanh long"})) == {"HTX Thành Long"}


@pytest.mark.django_db
def test_search_finds_tax_codes_with_or_without_branch_dash(client, places, staff_a):
    # factory codes start with 47: this branch code cannot collide with them
    BeneficiaryFactory(name="Chi nhánh", tax_code="0314409058-002", commune=places.commune_a1)
    BeneficiaryFactory(name="Khác", commune=places.commune_a1)
    client.force_login(staff_a)
    assert names(client.get(LIST, {"q": "0314409058-002"})) == {"Chi nhánh"}
    assert names(client.get(LIST, {"q": "0314409058002"})) == {"Chi nhánh"}
    assert names(client.get(LIST, {"q": "0314409058"})) == {"Chi nhánh"}


@pytest.mark.django_db
def test_htmx_request_gets_only_the_results(client, places, staff_a):
    BeneficiaryFactory(name="HTX Một", commune=places.commune_a1)
    client.force_login(staff_a)
    response = client.get(LIST, {"q": "mot"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "HTX Một" in body
    assert "<nav" not in body  # no page chrome


@pytest.mark.django_db
def test_filters_by_kind_district_industry_and_archived(client, places, staff_a):
    coop = BeneficiaryFactory(name="HTX A1", commune=places.commune_a1)
    household = BeneficiaryFactory(
        name="HKD A2", kind=kind("household"), tax_code="", commune=places.commune_a2
    )
    archived = BeneficiaryFactory(name="HTX Cũ", commune=places.commune_a1)
    archived.archive()
    client.force_login(staff_a)
    assert names(client.get(LIST)) == {"HTX A1", "HKD A2"}
    assert names(client.get(LIST, {"kind": household.kind_id})) == {"HKD A2"}
    assert names(client.get(LIST, {"district": places.district_a1.pk})) == {"HTX A1"}
    assert names(client.get(LIST, {"province": places.province_a.pk})) == {"HTX A1", "HKD A2"}
    assert names(client.get(LIST, {"industry": coop.industry_id})) == {"HTX A1", "HKD A2"}
    assert names(client.get(LIST, {"archived": "yes"})) == {"HTX Cũ"}
    assert names(client.get(LIST, {"archived": "garbage"})) == {"HTX A1", "HKD A2"}


@pytest.mark.django_db
def test_province_user_sees_only_their_province(client, places, staff_a, staff_b):
    BeneficiaryFactory(name="Ở tỉnh A", commune=places.commune_a1)
    other = BeneficiaryFactory(name="Ở tỉnh B", commune=places.commune_b)
    client.force_login(staff_a)
    assert names(client.get(LIST)) == {"Ở tỉnh A"}
    # asking for the other province by filter changes nothing
    assert names(client.get(LIST, {"province": places.province_b.pk})) == {"Ở tỉnh A"}
    assert client.get(reverse("beneficiaries:detail", args=[other.pk])).status_code == 404
    client.force_login(staff_b)
    assert names(client.get(LIST)) == {"Ở tỉnh B"}


@pytest.mark.django_db
def test_district_officer_sees_only_their_district(client, places, officer_a1):
    BeneficiaryFactory(name="Huyện A1", commune=places.commune_a1)
    other = BeneficiaryFactory(name="Huyện A2", commune=places.commune_a2)
    client.force_login(officer_a1)
    assert names(client.get(LIST)) == {"Huyện A1"}
    assert client.get(reverse("beneficiaries:detail", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_beneficiary_user_sees_only_their_own_record(client, places):
    own = BeneficiaryFactory(name="Của tôi", commune=places.commune_a1)
    neighbour = BeneficiaryFactory(name="Hàng xóm", commune=places.commune_a1)
    user = UserFactory(role=Role.BENEFICIARY, province=places.province_a, beneficiary=own)
    client.force_login(user)
    assert names(client.get(LIST)) == {"Của tôi"}
    assert client.get(reverse("beneficiaries:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("beneficiaries:detail", args=[neighbour.pk])).status_code == 404


@pytest.mark.django_db
def test_national_user_sees_every_province(client, places):
    BeneficiaryFactory(name="A", commune=places.commune_a1)
    BeneficiaryFactory(name="B", commune=places.commune_b)
    client.force_login(UserFactory(role=Role.NATIONAL_AGENCY))
    assert names(client.get(LIST)) == {"A", "B"}


@pytest.mark.django_db
def test_list_requires_sign_in_and_a_role_with_the_permission(client, places):
    assert client.get(LIST).status_code == 302
    client.force_login(UserFactory(role=Role.JURY_MEMBER, province=places.province_a))
    assert client.get(LIST).status_code == 403


@pytest.fixture
def small_cap(monkeypatch):
    from khuyencong.beneficiaries.views import BeneficiaryListView

    monkeypatch.setattr(BeneficiaryListView, "count_cap", 3)
    monkeypatch.setattr(BeneficiaryListView, "paginate_by", 2)


@pytest.mark.django_db
def test_search_past_the_count_cap_says_more_than_and_pages_newest_first(
    client, places, staff_a, small_cap
):
    created = [
        BeneficiaryFactory(name=f"HTX Mây tre {letter}", commune=places.commune_a1)
        for letter in "CAEBD"
    ]
    BeneficiaryFactory(name="HTX Gốm", commune=places.commune_a1)
    client.force_login(staff_a)
    response = client.get(LIST, {"q": "may tre"})
    body = response.content.decode()
    assert response.context["paginator"].capped
    assert "Hơn 3 kết quả" in body and "mới nhất trước" in body
    assert "Trang 1 /" not in body and "Trang 1" in body
    seen, page = [], 1
    while True:
        response = client.get(LIST, {"q": "may tre", "page": page})
        seen += [b.pk for b in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            break
        assert f"page={page + 1}" in response.content.decode()
        page += 1
    assert seen == [b.pk for b in reversed(created)]  # all five, newest first
    assert client.get(LIST, {"q": "may tre", "page": page + 1}).status_code == 404


@pytest.mark.django_db
def test_search_at_the_count_cap_keeps_the_exact_count_and_name_order(
    client, places, staff_a, small_cap
):
    for letter in "CAB":
        BeneficiaryFactory(name=f"HTX Mây tre {letter}", commune=places.commune_a1)
    client.force_login(staff_a)
    response = client.get(LIST, {"q": "may tre"})
    body = response.content.decode()
    assert not response.context["paginator"].capped
    assert "3 bản ghi" in body and "Trang 1 / 2" in body and "Hơn" not in body
    assert names_in_order(response) == ["HTX Mây tre A", "HTX Mây tre B"]
    response = client.get(LIST, {"q": "may tre", "page": 2})
    assert names_in_order(response) == ["HTX Mây tre C"]


@pytest.mark.django_db
def test_an_unsearched_list_counts_exactly_past_the_cap(client, places, staff_a, small_cap):
    BeneficiaryFactory.create_batch(5, commune=places.commune_a1)
    client.force_login(staff_a)
    response = client.get(LIST)
    assert not getattr(response.context["paginator"], "capped", False)
    assert response.context["paginator"].count == 5
    assert "5 bản ghi" in response.content.decode()


@pytest.mark.django_db
def test_capped_search_queries_do_not_grow_with_matches(
    client, places, staff_a, small_cap, django_assert_max_num_queries
):
    client.force_login(staff_a)
    BeneficiaryFactory.create_batch(4, name="HTX Mây tre", commune=places.commune_a1)
    few = count_queries(client, LIST + "?q=may+tre")
    BeneficiaryFactory.create_batch(30, name="HTX Mây tre", commune=places.commune_a2)
    with django_assert_max_num_queries(few):
        response = client.get(LIST, {"q": "may tre", "page": 3})
    assert response.context["paginator"].capped
    assert len(response.context["object_list"]) == 2


def names_in_order(response) -> list[str]:
    return [b.name for b in response.context["object_list"]]


@pytest.mark.django_db
def test_capped_search_leaves_the_connection_settings_as_they_were(
    client, places, staff_a, small_cap
):
    """PostgreSQL: the capped page turns bitmap scans off for its one query only."""
    BeneficiaryFactory.create_batch(5, name="HTX Mây tre", commune=places.commune_a1)
    client.force_login(staff_a)
    assert client.get(LIST, {"q": "may tre"}).context["paginator"].capped
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_bitmapscan")
            assert cursor.fetchone()[0] == "on"
