"""User.clean (scope fits the role, in Vietnamese) and the role driving admin access."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from khuyencong.accounts.models import Role, ScopeLevel, User
from khuyencong.places.models import Level
from tests.accounts.factories import (
    BAC_KAN,
    CAO_BANG,
    CUONG_LOI,
    NA_RI,
    BeneficiaryFactory,
    UserFactory,
    legacy,
)

pytestmark = pytest.mark.django_db


def errors_of(user: User) -> dict[str, list[str]]:
    with translation.override("vi"):
        try:
            user.clean()
        except ValidationError as error:
            return error.message_dict
    return {}


def make(role=Role.CENTRE_STAFF, scope=ScopeLevel.PROVINCE, **units) -> User:
    return User(username="nguoidung", role=role, scope_level=scope, **units)


def test_valid_users_of_every_kind_pass():
    bac_kan = legacy(Level.PROVINCE, BAC_KAN)
    na_ri = legacy(Level.DISTRICT, NA_RI)
    beneficiary = BeneficiaryFactory()
    valid = [
        make(Role.SYSTEM_ADMIN, ScopeLevel.NATIONAL),
        make(Role.NATIONAL_AGENCY, ScopeLevel.NATIONAL),
        make(Role.DEPARTMENT_LEADER, province=bac_kan),
        make(Role.CENTRE_STAFF, province=bac_kan),
        make(Role.CENTRE_STAFF, ScopeLevel.NATIONAL),
        make(Role.DISTRICT_OFFICER, ScopeLevel.DISTRICT, district=na_ri),
        make(Role.JURY_MEMBER, province=bac_kan),
        make(Role.BENEFICIARY, province=bac_kan, beneficiary=beneficiary),
    ]
    for user in valid:
        assert errors_of(user) == {}, user.role


def test_province_scope_needs_a_province():
    assert errors_of(make()) == {"province": ["Người dùng phạm vi cấp tỉnh phải có tỉnh."]}


def test_province_must_be_a_province():
    errors = errors_of(make(province=legacy(Level.DISTRICT, NA_RI)))
    assert errors == {"province": ["Hãy chọn một tỉnh, không chọn huyện hay xã."]}


def test_province_scope_has_no_district():
    user = make(province=legacy(Level.PROVINCE, BAC_KAN), district=legacy(Level.DISTRICT, NA_RI))
    assert list(errors_of(user)) == ["district"]


def test_district_scope_needs_a_district_and_fills_its_province():
    assert errors_of(make(Role.DISTRICT_OFFICER, ScopeLevel.DISTRICT)) == {
        "district": ["Người dùng phạm vi cấp huyện phải có huyện."]
    }
    user = make(Role.DISTRICT_OFFICER, ScopeLevel.DISTRICT, district=legacy(Level.DISTRICT, NA_RI))
    assert errors_of(user) == {}
    assert user.province == legacy(Level.PROVINCE, BAC_KAN)


def test_district_must_lie_in_the_province():
    user = make(
        Role.DISTRICT_OFFICER,
        ScopeLevel.DISTRICT,
        province=legacy(Level.PROVINCE, CAO_BANG),
        district=legacy(Level.DISTRICT, NA_RI),
    )
    assert errors_of(user) == {"district": ["Huyện đã chọn không thuộc tỉnh đã chọn."]}
    wrong_level = make(
        Role.DISTRICT_OFFICER, ScopeLevel.DISTRICT, district=legacy(Level.COMMUNE, CUONG_LOI)
    )
    assert errors_of(wrong_level) == {"district": ["Hãy chọn một huyện, không chọn tỉnh hay xã."]}


def test_national_roles_have_the_national_scope():
    user = make(Role.NATIONAL_AGENCY, province=legacy(Level.PROVINCE, BAC_KAN))
    assert errors_of(user) == {
        "scope_level": ["Quản trị hệ thống và cán bộ Cục có phạm vi toàn quốc."]
    }


def test_national_scope_has_no_place():
    user = make(Role.SYSTEM_ADMIN, ScopeLevel.NATIONAL, district=legacy(Level.DISTRICT, NA_RI))
    assert list(errors_of(user)) == ["district"]


def test_district_officer_has_the_district_scope():
    user = make(Role.DISTRICT_OFFICER, province=legacy(Level.PROVINCE, BAC_KAN))
    assert errors_of(user)["scope_level"] == ["Cán bộ cấp huyện có phạm vi cấp huyện."]


def test_beneficiary_user_needs_a_beneficiary_and_others_have_none():
    bac_kan = legacy(Level.PROVINCE, BAC_KAN)
    assert errors_of(make(Role.BENEFICIARY, province=bac_kan)) == {
        "beneficiary": ["Tài khoản đơn vị thụ hưởng phải gắn với cơ sở mà người dùng đại diện."]
    }
    staff = make(Role.CENTRE_STAFF, province=bac_kan, beneficiary=BeneficiaryFactory())
    assert list(errors_of(staff)) == ["beneficiary"]


def test_beneficiary_user_gets_the_province_of_their_establishment():
    beneficiary = BeneficiaryFactory()
    user = make(Role.BENEFICIARY, beneficiary=beneficiary)
    assert errors_of(user) == {}
    assert user.province_id == beneficiary.province_id


def test_only_system_administrators_are_staff_and_the_role_decides():
    user = UserFactory(role=Role.SYSTEM_ADMIN, scope_level=ScopeLevel.NATIONAL)
    assert user.is_staff and user.is_superuser
    user.role = Role.CENTRE_STAFF
    user.save(update_fields=["role"])
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
    sneaky = UserFactory(is_staff=True, is_superuser=True)  # centre staff by default
    sneaky.refresh_from_db()
    assert not sneaky.is_staff and not sneaky.is_superuser


def test_createsuperuser_makes_a_national_system_administrator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "mot-mat-khau-dai")
    call_command("createsuperuser", "--noinput", username="root", email="root@example.org")
    root = User.objects.get(username="root")
    assert (root.role, root.scope_level) == (Role.SYSTEM_ADMIN, ScopeLevel.NATIONAL)
    assert root.is_superuser and root.is_staff


def test_scope_labels():
    bac_kan = legacy(Level.PROVINCE, BAC_KAN)
    with translation.override("vi"):
        assert make(Role.NATIONAL_AGENCY, ScopeLevel.NATIONAL).scope_label == "Toàn quốc"
    assert make(province=bac_kan).scope_label == "Tỉnh Bắc Kạn"
    officer = make(
        Role.DISTRICT_OFFICER, ScopeLevel.DISTRICT, district=legacy(Level.DISTRICT, NA_RI)
    )
    assert officer.scope_label == "Huyện Na Rì, Tỉnh Bắc Kạn"
    beneficiary = BeneficiaryFactory(name="HTX Nhãn")
    assert make(Role.BENEFICIARY, beneficiary=beneficiary).scope_label == "HTX Nhãn"
