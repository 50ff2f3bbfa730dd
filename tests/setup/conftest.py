"""Set-up tests work on provinces of different shapes, none of them Bắc Kạn: Lạng Sơn as it was
before the 2025 reform (one legacy province), the current Tuyên Quang (formed by the merger
with Hà Giang: a family of two legacy provinces), and Cao Bằng as "another province"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from khuyencong.accounts.models import Role
from khuyencong.places.models import AdminUnit, Era, Level
from tests.factories import UserFactory


def province(era: str, short_name: str) -> AdminUnit:
    return AdminUnit.objects.get(era=era, level=Level.PROVINCE, short_name=short_name)


def district_of(unit: AdminUnit) -> AdminUnit:
    return AdminUnit.objects.filter(level=Level.DISTRICT, province=unit).order_by("code").first()


@pytest.fixture
def places(db):
    lang_son = province(Era.LEGACY, "Lạng Sơn")
    tuyen_quang = province(Era.CURRENT, "Tuyên Quang")
    ha_giang = province(Era.LEGACY, "Hà Giang")
    cao_bang = province(Era.LEGACY, "Cao Bằng")
    return SimpleNamespace(
        lang_son=lang_son,
        lang_son_district=district_of(lang_son),
        tuyen_quang=tuyen_quang,
        ha_giang=ha_giang,
        ha_giang_district=district_of(ha_giang),
        cao_bang=cao_bang,
        cao_bang_district=district_of(cao_bang),
    )


@pytest.fixture
def people(places):
    return SimpleNamespace(
        national=UserFactory(role=Role.SYSTEM_ADMIN),
        agency=UserFactory(role=Role.NATIONAL_AGENCY),
        lang_son_admin=UserFactory(role=Role.PROVINCE_ADMIN, province=places.lang_son),
        tuyen_quang_admin=UserFactory(role=Role.PROVINCE_ADMIN, province=places.tuyen_quang),
        lang_son_centre=UserFactory(role=Role.CENTRE_STAFF, province=places.lang_son),
        lang_son_leader=UserFactory(role=Role.DEPARTMENT_LEADER, province=places.lang_son),
    )
