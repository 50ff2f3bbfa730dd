"""Properties of scope_queryset / in_scope for arbitrary users and record subsets."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role, ScopeLevel, User
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.places.models import Level
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
    a_commune_of,
    current,
    current_commune,
    legacy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    beneficiaries = [
        BeneficiaryFactory(commune=legacy(Level.COMMUNE, code))
        for code in (CUONG_LOI, CON_MINH, CHO_RA)
    ]
    beneficiaries += [
        BeneficiaryFactory(commune=a_commune_of(THAI_NGUYEN)),
        BeneficiaryFactory(commune=current_commune(THAI_NGUYEN)),
        BeneficiaryFactory(commune=a_commune_of(CAO_BANG)),
    ]
    provinces = [
        legacy(Level.PROVINCE, BAC_KAN).pk,
        legacy(Level.PROVINCE, CAO_BANG).pk,
        current(Level.PROVINCE, THAI_NGUYEN).pk,
        current(Level.PROVINCE, CAO_BANG).pk,
    ]
    districts = [legacy(Level.DISTRICT, NA_RI).pk, legacy(Level.DISTRICT, BA_BE).pk]
    return {
        "beneficiaries": beneficiaries,
        "provinces": [None, *provinces],
        "districts": [None, *districts],
        "beneficiary_ids": [None, *(b.pk for b in beneficiaries)],
    }


def users(world):
    return st.builds(
        User,
        username=st.just("someone"),
        role=st.sampled_from(list(Role)),
        scope_level=st.sampled_from(list(ScopeLevel)),
        province_id=st.sampled_from(world["provinces"]),
        district_id=st.sampled_from(world["districts"]),
        beneficiary_id=st.sampled_from(world["beneficiary_ids"]),
        is_active=st.booleans(),
        is_superuser=st.booleans(),
    )


SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(data=st.data())
def test_scope_queryset_is_a_subset_and_agrees_with_in_scope(world, data):
    user = data.draw(users(world))
    subset = data.draw(st.sets(st.sampled_from([b.pk for b in world["beneficiaries"]])))
    queryset = Beneficiary.objects.filter(pk__in=subset)
    scoped = set(
        roles.scope_queryset(user, queryset, beneficiary="pk").values_list("pk", flat=True)
    )
    assert scoped <= subset
    for beneficiary in world["beneficiaries"]:
        if beneficiary.pk in subset:
            assert roles.in_scope(user, beneficiary) == (beneficiary.pk in scoped)


@SETTINGS
@given(data=st.data())
def test_anyone_who_may_not_view_sees_nothing_more_than_allowed(world, data):
    """Inactive users see nothing; national reach is never granted to beneficiary users."""
    user = data.draw(users(world))
    everything = Beneficiary.objects.all()
    scoped = roles.scope_queryset(user, everything, beneficiary="pk")
    if not user.is_active:
        assert not scoped.exists()
    if user.role == Role.BENEFICIARY and not user.is_superuser:
        assert scoped.count() <= 1
