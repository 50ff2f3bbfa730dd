"""Scopes: who sees which records (accounts.roles.scope_queryset / in_scope)."""

from __future__ import annotations

import pytest
from django.utils import translation

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role, ScopeLevel, User
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.places.models import AdminUnitSuccession, Level
from tests.accounts.factories import (
    BA_BE,
    BAC_KAN,
    CAO_BANG,
    CHO_RA,
    CON_MINH,
    CUONG_LOI,
    NA_RI,
    THAI_NGUYEN,
    BeneficiaryFactory,
    UserFactory,
    a_commune_of,
    current,
    current_commune,
    legacy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    """Beneficiaries in: Na Rì (2), Ba Bể (Bắc Kạn), legacy Thái Nguyên, current Thái Nguyên
    (formed in 2025 from Bắc Kạn and Thái Nguyên), and Cao Bằng (not merged)."""
    return {
        "na_ri_1": BeneficiaryFactory(commune=legacy(Level.COMMUNE, CUONG_LOI)),
        "na_ri_2": BeneficiaryFactory(commune=legacy(Level.COMMUNE, CON_MINH)),
        "ba_be": BeneficiaryFactory(commune=legacy(Level.COMMUNE, CHO_RA)),
        "thai_nguyen_legacy": BeneficiaryFactory(commune=a_commune_of(THAI_NGUYEN)),
        "thai_nguyen_current": BeneficiaryFactory(commune=current_commune(THAI_NGUYEN)),
        "cao_bang": BeneficiaryFactory(commune=a_commune_of(CAO_BANG)),
    }


def visible(user, beneficiaries) -> set[str]:
    ids = set(
        roles.scope_queryset(user, Beneficiary.objects.all(), beneficiary="pk").values_list(
            "pk", flat=True
        )
    )
    by_scope = {key for key, b in beneficiaries.items() if roles.in_scope(user, b)}
    by_query = {key for key, b in beneficiaries.items() if b.pk in ids}
    assert by_scope == by_query, "in_scope and scope_queryset disagree"
    return by_query


def test_the_merger_is_in_the_reference_data():
    successor = current(Level.PROVINCE, THAI_NGUYEN)
    predecessors = set(
        AdminUnitSuccession.objects.filter(
            successor=successor, predecessor__level=Level.PROVINCE
        ).values_list("predecessor__code", flat=True)
    )
    assert predecessors == {BAC_KAN, THAI_NGUYEN}


@pytest.mark.parametrize("role", [Role.NATIONAL_AGENCY, Role.SYSTEM_ADMIN])
def test_national_users_see_every_province(places, role):
    user = UserFactory(role=role, scope_level=ScopeLevel.NATIONAL)
    assert visible(user, places) == set(places)


def test_national_scope_widens_a_province_role_too(places):
    user = UserFactory(role=Role.CENTRE_STAFF, scope_level=ScopeLevel.NATIONAL)
    assert visible(user, places) == set(places)


def test_legacy_province_user_sees_only_that_province(places):
    user = UserFactory(role=Role.CENTRE_STAFF, province=legacy(Level.PROVINCE, BAC_KAN))
    assert visible(user, places) == {"na_ri_1", "na_ri_2", "ba_be"}


@pytest.mark.parametrize("role", [Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF, Role.JURY_MEMBER])
def test_merged_province_user_sees_the_legacy_provinces_merged_into_it(places, role):
    user = UserFactory(role=role, province=current(Level.PROVINCE, THAI_NGUYEN))
    assert visible(user, places) == {
        "na_ri_1",
        "na_ri_2",
        "ba_be",
        "thai_nguyen_legacy",
        "thai_nguyen_current",
    }


def test_unmerged_province_user_sees_its_own(places):
    user = UserFactory(province=current(Level.PROVINCE, CAO_BANG))
    legacy_cao_bang = UserFactory(province=legacy(Level.PROVINCE, CAO_BANG))
    assert visible(user, places) == {"cao_bang"}
    assert visible(legacy_cao_bang, places) == {"cao_bang"}


def test_district_officer_sees_own_district(places):
    user = UserFactory(
        role=Role.DISTRICT_OFFICER,
        scope_level=ScopeLevel.DISTRICT,
        province=legacy(Level.PROVINCE, BAC_KAN),
        district=legacy(Level.DISTRICT, NA_RI),
    )
    assert visible(user, places) == {"na_ri_1", "na_ri_2"}
    other = UserFactory(
        role=Role.DISTRICT_OFFICER,
        scope_level=ScopeLevel.DISTRICT,
        province=legacy(Level.PROVINCE, BAC_KAN),
        district=legacy(Level.DISTRICT, BA_BE),
    )
    assert visible(other, places) == {"ba_be"}


def test_district_scope_applies_to_a_province_role(places):
    user = UserFactory(
        role=Role.CENTRE_STAFF,
        scope_level=ScopeLevel.DISTRICT,
        province=legacy(Level.PROVINCE, BAC_KAN),
        district=legacy(Level.DISTRICT, BA_BE),
    )
    assert visible(user, places) == {"ba_be"}


def test_beneficiary_user_sees_only_own_records(places):
    own = places["na_ri_1"]
    user = UserFactory(role=Role.BENEFICIARY, beneficiary=own)
    assert visible(user, places) == {"na_ri_1"}


def test_beneficiary_user_never_gets_national_reach(places):
    # A mis-set scope must not let a beneficiary see everyone else's records.
    user = UserFactory(
        role=Role.BENEFICIARY, scope_level=ScopeLevel.NATIONAL, beneficiary=places["ba_be"]
    )
    assert not roles.is_national(user)
    assert visible(user, places) == {"ba_be"}


def test_users_with_an_incomplete_scope_see_nothing(places):
    no_province = User(username="x", role=Role.CENTRE_STAFF, scope_level=ScopeLevel.PROVINCE)
    no_district = User(username="y", role=Role.DISTRICT_OFFICER, scope_level=ScopeLevel.DISTRICT)
    no_beneficiary = User(username="z", role=Role.BENEFICIARY, scope_level=ScopeLevel.PROVINCE)
    for user in (no_province, no_district, no_beneficiary):
        assert visible(user, places) == set()


def test_lookups_follow_relations_and_missing_links_hide_records(places):
    """scope_queryset on another model: users, through their province/district/beneficiary."""
    bac_kan = legacy(Level.PROVINCE, BAC_KAN)
    member = UserFactory(role=Role.BENEFICIARY, beneficiary=places["na_ri_1"])
    outsider = UserFactory(province=legacy(Level.PROVINCE, CAO_BANG))
    officer = UserFactory(province=bac_kan)
    result = set(roles.scope_queryset(officer, User.objects.all()))
    assert member in result and officer in result and outsider not in result
    # the beneficiary user sees the users acting for their establishment
    assert set(roles.scope_queryset(member, User.objects.all())) == {member}
    # a record with no province link is hidden from province users, shown to national users
    assert not roles.scope_queryset(officer, User.objects.all(), province=None).exists()
    national = UserFactory(
        role=Role.NATIONAL_AGENCY, scope_level=ScopeLevel.NATIONAL, province=None
    )
    assert roles.scope_queryset(national, User.objects.all(), province=None).count() == 4


def test_objects_without_scope_attributes_are_outside_every_limited_scope():
    officer = User(role=Role.CENTRE_STAFF, scope_level=ScopeLevel.PROVINCE, province_id=1)
    national = User(role=Role.NATIONAL_AGENCY, scope_level=ScopeLevel.NATIONAL)
    assert not roles.in_scope(officer, object())
    assert roles.in_scope(national, object())


def test_check_refuses_out_of_scope_objects_with_a_reason(places):
    user = UserFactory(province=legacy(Level.PROVINCE, BAC_KAN))
    assert roles.check(user, "beneficiaries.edit", places["na_ri_1"])
    with translation.override("vi"):
        decision = roles.check(user, "beneficiaries.edit", places["cao_bang"])
    assert not decision
    assert decision.reason == "Hồ sơ này nằm ngoài phạm vi phụ trách của bạn."


def test_province_family_is_looked_up_once_per_user(places, django_assert_num_queries):
    user = UserFactory(province=current(Level.PROVINCE, THAI_NGUYEN))
    items = list(places.values())
    with django_assert_num_queries(1):
        for item in items:
            roles.in_scope(user, item)
