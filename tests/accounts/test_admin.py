"""Django admin for system administrators: users with role and scope, organisations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Organisation, Role, ScopeLevel, User
from khuyencong.places.models import Level
from tests.accounts.factories import (
    BAC_KAN,
    NA_RI,
    BeneficiaryFactory,
    OrganisationFactory,
    UserFactory,
    legacy,
)

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:accounts_user_add")


@pytest.fixture
def admin(client):
    user = UserFactory(role=Role.SYSTEM_ADMIN, scope_level=ScopeLevel.NATIONAL, province=None)
    client.force_login(user)
    return client


def new_user(**fields):
    data = {
        "username": "canbo2",
        "usable_password": "true",
        "password1": "mat-khau-moi-2025",
        "password2": "mat-khau-moi-2025",
        "first_name": "Nguyễn",
        "last_name": "Văn A",
        "email": "",
        "role": Role.CENTRE_STAFF,
        "scope_level": ScopeLevel.PROVINCE,
        "province": "",
        "district": "",
        "organisation": "",
        "beneficiary": "",
        "phone": "",
    }
    data.update({k: (v.pk if hasattr(v, "pk") else v) for k, v in fields.items()})
    return data


def test_add_form_offers_role_scope_and_labelled_provinces(admin):
    response = admin.get(ADD_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("role", "scope_level", "province", "district", "organisation", "beneficiary"):
        assert f'name="{field}"' in html
    assert "Tỉnh Bắc Kạn (đến 30/6/2025)" in html
    assert "Tỉnh Thái Nguyên (từ 1/7/2025)" in html
    assert 'name="is_superuser"' not in html  # the role decides


def test_creating_a_province_user_without_a_province_is_refused_in_vietnamese(admin):
    response = admin.post(ADD_URL, new_user())
    assert response.status_code == 200
    assert "Người dùng phạm vi cấp tỉnh phải có tỉnh." in response.content.decode()
    assert not User.objects.filter(username="canbo2").exists()


def test_creating_users_with_role_and_scope(admin):
    bac_kan = legacy(Level.PROVINCE, BAC_KAN)
    organisation = OrganisationFactory(province=bac_kan)
    response = admin.post(ADD_URL, new_user(province=bac_kan, organisation=organisation))
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="canbo2")
    assert (user.role, user.province, user.organisation) == (
        Role.CENTRE_STAFF,
        bac_kan,
        organisation,
    )
    assert user.check_password("mat-khau-moi-2025")
    assert not user.is_staff

    response = admin.post(
        ADD_URL,
        new_user(
            username="huyen2",
            role=Role.DISTRICT_OFFICER,
            scope_level=ScopeLevel.DISTRICT,
            district=legacy(Level.DISTRICT, NA_RI),
        ),
    )
    assert response.status_code == 302
    assert User.objects.get(username="huyen2").province == bac_kan


def test_beneficiary_user_needs_a_beneficiary_in_the_admin(admin):
    response = admin.post(ADD_URL, new_user(username="htx2", role=Role.BENEFICIARY))
    assert "Tài khoản đơn vị thụ hưởng phải gắn với cơ sở" in response.content.decode()
    beneficiary = BeneficiaryFactory()
    response = admin.post(
        ADD_URL, new_user(username="htx2", role=Role.BENEFICIARY, beneficiary=beneficiary)
    )
    assert response.status_code == 302
    assert User.objects.get(username="htx2").beneficiary == beneficiary


def test_changing_a_user_role_in_the_admin(admin):
    user = UserFactory(username="lanhdao2")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    assert admin.get(url).status_code == 200
    data = new_user(username="lanhdao2", role=Role.DEPARTMENT_LEADER, province=user.province)
    for key in ("usable_password", "password1", "password2"):
        data.pop(key)
    data.update({"is_active": "on", "date_joined_0": "2025-01-01", "date_joined_1": "08:00:00"})
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.role == Role.DEPARTMENT_LEADER


def test_changelists_open(admin):
    UserFactory()
    OrganisationFactory()
    for name in ("accounts_user_changelist", "accounts_organisation_changelist"):
        assert admin.get(reverse(f"admin:{name}")).status_code == 200
    assert admin.get(reverse("admin:accounts_organisation_add")).status_code == 200


def test_other_roles_cannot_enter_the_admin(client):
    client.force_login(UserFactory(role=Role.DEPARTMENT_LEADER))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_organisations_are_archived_and_restored_not_deleted(admin):
    organisation = OrganisationFactory()
    url = reverse("admin:accounts_organisation_changelist")
    response = admin.post(url, {"action": "archive", "_selected_action": [organisation.pk]})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.is_archived
    admin.post(url, {"action": "restore", "_selected_action": [organisation.pk]})
    organisation.refresh_from_db()
    assert not organisation.is_archived
    assert "delete_selected" not in admin.get(url).content.decode()
    delete_url = reverse("admin:accounts_organisation_delete", args=[organisation.pk])
    assert admin.get(delete_url).status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()
