from __future__ import annotations

from dataclasses import dataclass

import pytest

from khuyencong.accounts.models import Role
from khuyencong.places.models import AdminUnit
from tests.beneficiaries.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from tests.factories import UserFactory


@dataclass
class Places:
    province_a: AdminUnit
    district_a1: AdminUnit
    district_a2: AdminUnit
    commune_a1: AdminUnit  # in district a1
    commune_a1b: AdminUnit  # also in district a1
    commune_a2: AdminUnit  # in district a2
    province_b: AdminUnit
    commune_b: AdminUnit


@pytest.fixture
def places(db) -> Places:
    province_a = ProvinceFactory(short_name="Bắc Thử")
    district_a1 = DistrictFactory(parent=province_a, short_name="Na Thử")
    district_a2 = DistrictFactory(parent=province_a, short_name="Chợ Thử")
    province_b = ProvinceFactory(short_name="Nam Thử")
    return Places(
        province_a=province_a,
        district_a1=district_a1,
        district_a2=district_a2,
        commune_a1=CommuneFactory(parent=district_a1, short_name="Quang Thử"),
        commune_a1b=CommuneFactory(parent=district_a1, short_name="Cường Thử"),
        commune_a2=CommuneFactory(parent=district_a2, short_name="Yên Thử"),
        province_b=province_b,
        commune_b=CommuneFactory(parent=DistrictFactory(parent=province_b)),
    )


@pytest.fixture
def staff_a(places):
    """Centre staff of province A."""
    return UserFactory(role=Role.CENTRE_STAFF, province=places.province_a)


@pytest.fixture
def staff_b(places):
    return UserFactory(role=Role.CENTRE_STAFF, province=places.province_b)


@pytest.fixture
def officer_a1(places):
    """District officer of district A1."""
    return UserFactory(
        role=Role.DISTRICT_OFFICER, province=places.province_a, district=places.district_a1
    )
