"""Issue 18, item 11: API tokens that expire, may be read-only, die with the password or the
account, and need the second sign-in step of a user who has one.

The review found tokens valid for ever, every token able to write, tokens still working after
the user's password was changed, and a session opened before two-factor sign-in was switched
on creating tokens without a code.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts.models import Role
from khuyencong.api.models import ApiToken, TokenScope
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind
from khuyencong.trust.models import AuditEntry
from tests.accounts.factories import PASSWORD
from tests.api.conftest import ApiClient
from tests.projects import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    return pf.user(Role.DEPARTMENT_LEADER)


@pytest.fixture
def beneficiary():
    return Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code="cooperative"),
        name="HTX Thành Ngân",
        tax_code="4700123452",
        commune=pf.units()["02152"],
    )


def first_error(response) -> dict:
    return response.json()["detail"][0]


def test_a_token_expires_after_90_days_by_default(leader):
    token, _raw = ApiToken.issue(user=leader, name="tập lệnh")
    lifetime = token.expires_at - token.created_at
    assert abs(lifetime - datetime.timedelta(days=90)) < datetime.timedelta(minutes=1)


@override_settings(API_TOKEN_LIFETIME_DAYS=7)
def test_the_lifetime_is_configurable(leader):
    token, _raw = ApiToken.issue(user=leader, name="tập lệnh")
    lifetime = token.expires_at - token.created_at
    assert abs(lifetime - datetime.timedelta(days=7)) < datetime.timedelta(minutes=1)


def test_an_expired_token_is_refused_with_a_clear_message(leader):
    token, raw = ApiToken.issue(user=leader, name="tập lệnh")
    client = ApiClient(raw)
    assert client.get("/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    response = client.get("/me")
    assert response.status_code == 401
    error = first_error(response)
    assert error["type"] == "auth"
    assert "hết hạn" in error["msg"]
    assert ApiToken.authenticate(raw) is None


def test_a_read_only_token_reads_but_cannot_write(leader, beneficiary):
    _token, raw = ApiToken.issue(user=leader, name="báo cáo", scope=TokenScope.READ)
    client = ApiClient(raw)
    assert client.get(f"/beneficiaries/{beneficiary.pk}").status_code == 200
    response = client.patch(
        f"/beneficiaries/{beneficiary.pk}", {"version": beneficiary.version, "phone": "0209 1"}
    )
    assert response.status_code == 403
    assert "chỉ đọc" in first_error(response)["msg"]
    beneficiary.refresh_from_db()
    assert beneficiary.phone != "0209 1" and beneficiary.version == 1
    # a write token of the same user writes
    _token, writer = ApiToken.issue(user=leader, name="nhập liệu", scope=TokenScope.WRITE)
    response = ApiClient(writer).patch(
        f"/beneficiaries/{beneficiary.pk}", {"version": beneficiary.version, "phone": "0209 1"}
    )
    assert response.status_code == 200, response.content


def test_a_password_change_revokes_the_users_tokens(leader):
    leader.set_password(PASSWORD)
    leader.save()
    token, raw = ApiToken.issue(user=leader, name="tập lệnh")
    client = Client()
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Mật khẩu mới thật dài 2026",
            "new_password2": "Mật khẩu mới thật dài 2026",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    token.refresh_from_db()
    assert token.is_revoked
    response = ApiClient(raw).get("/me")
    assert response.status_code == 401
    assert "thu hồi" in first_error(response)["msg"]
    revoked = AuditEntry.objects.for_object(token).order_by("-id").first()
    assert revoked.reason == "password changed"


def test_set_password_anywhere_revokes_the_tokens(leader):
    token, _raw = ApiToken.issue(user=leader, name="tập lệnh")
    leader.set_password("một mật khẩu khác dài")
    leader.save()
    token.refresh_from_db()
    assert token.is_revoked


def test_deactivation_revokes_the_tokens_for_good(leader):
    token, raw = ApiToken.issue(user=leader, name="tập lệnh")
    leader.is_active = False
    leader.save()
    token.refresh_from_db()
    assert token.is_revoked
    leader.is_active = True
    leader.save()
    assert ApiToken.authenticate(raw) is None  # reactivation does not revive the token


def test_an_unrelated_save_keeps_the_tokens(leader):
    token, raw = ApiToken.issue(user=leader, name="tập lệnh")
    leader.phone = "0209 555"
    leader.save()
    token.refresh_from_db()
    assert not token.is_revoked and ApiToken.authenticate(raw) == token


def test_a_two_factor_user_needs_the_code_in_the_session_to_create_a_token(leader):
    # a session opened before the user switched two-factor sign-in on
    client = Client()
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    TOTPDevice.objects.create(user=leader, name="điện thoại", confirmed=True)
    response = client.post("/api/tokens/", {"name": "tập lệnh", "scope": "write"})
    assert response.status_code == 200
    assert "đăng nhập hai lớp" in response.content.decode()
    assert not ApiToken.objects.filter(user=leader).exists()


def test_a_user_without_two_factor_creates_a_token_with_its_scope(leader):
    client = Client()
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/api/tokens/", {"name": "tập lệnh", "scope": "read"})
    assert response.status_code == 302
    token = ApiToken.objects.get(user=leader)
    assert token.scope == TokenScope.READ
    page = client.get("/api/tokens/").content.decode()
    assert "Chỉ đọc" in page
    assert timezone.localtime(token.expires_at).strftime("%d/%m/%Y") in page
