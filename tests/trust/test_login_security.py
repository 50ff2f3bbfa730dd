"""Sign-in hardening: Argon2, password rules, lockout after failures, session settings,
optional TOTP two-factor sign-in, and ``check --deploy`` clean for production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts.models import Role
from khuyencong.trust.models import AuditEntry
from tests.trust.conftest import client_for

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_production_settings():
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher") or any(
        "MD5" in name for name in settings.PASSWORD_HASHERS
    )  # tests swap in a fast hasher; the real setting is read from the settings module
    from khuyencong import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert get_hasher().encode("mat khau dai", get_hasher().salt()).startswith("argon2")


@pytest.mark.parametrize("weak", ["12345678901", "password123", "qwertyuiop", "short"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_repeated_failures_lock_the_username(client, settings):
    from tests.factories import UserFactory

    settings.AXES_ENABLED = True
    user = UserFactory(username="khoa-thu")
    user.set_password("dung-mat-khau-2025")
    user.save()
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "khoa-thu", "password": "sai"}, REMOTE_ADDR="198.51.100.9")
    locked = client.post(
        url, {"username": "khoa-thu", "password": "dung-mat-khau-2025"}, REMOTE_ADDR="198.51.100.9"
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_session_settings():
    from khuyencong import settings as production

    assert production.SESSION_COOKIE_HTTPONLY
    assert production.SESSION_COOKIE_AGE <= 12 * 3600
    assert production.SESSION_COOKIE_SAMESITE == "Lax"
    assert production.CSRF_COOKIE_HTTPONLY


def _production_env(**extra: str) -> dict[str, str]:
    # the production settings alone: nothing a test run sets (DEBUG, the test database, the
    # browser tests' DJANGO_ALLOW_ASYNC_UNSAFE) may leak into the deployment check
    test_only = ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(
        DEBUG="0",
        SECRET_KEY="p" * 20 + "-Xy9#kL2$mN8&qR4!tV6*wZ1@" * 3,
        ALLOWED_HOSTS="khuyencong.example.gov.vn",
        CSRF_TRUSTED_ORIGINS="https://khuyencong.example.gov.vn",
        PYTHONPATH=str(REPO / "src"),
        DJANGO_SETTINGS_MODULE="khuyencong.settings",
        **extra,
    )
    return env


def test_check_deploy_is_clean_for_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "DEBUG"],
        env=_production_env(KHUYENCONG_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_hardened(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_NAME,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES'].get('upgrade-insecure-requests'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=_production_env(KHUYENCONG_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "__Host-sessionid", "True"]


# ----------------------------------------------------------------------------- two-factor


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_two_factor_is_optional_and_set_up_with_a_code(world):
    client = client_for(world, "leader_a")
    assert client.get(reverse("home")).status_code == 200  # nothing required by default
    client.post(reverse("trust:two_factor"), {"action": "start"})
    device = TOTPDevice.objects.get(user=world.users["leader_a"])
    assert not device.confirmed
    page = client.get(reverse("trust:two_factor")).content.decode()
    assert "data:image/svg+xml;base64," in page
    wrong = client.post(reverse("trust:two_factor"), {"action": "confirm", "token": "000000"})
    assert wrong.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a wrong code holds the next try back a moment
    client.post(reverse("trust:two_factor"), {"action": "confirm", "token": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    entry = AuditEntry.objects.filter(object_id=str(world.users["leader_a"].pk)).latest("id")
    assert entry.reason == "two-factor sign-in switched on"


def test_with_two_factor_on_the_password_alone_opens_nothing(world):
    user = world.users["leader_a"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = client_for(world, "leader_a")  # signed in with the password only
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("trust:two_factor_verify"))
    assert client.post(reverse("trust:two_factor_verify"), {"token": "123456"}).status_code == 200
    assert client.get(reverse("projects:list")).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # wrong codes are throttled
    device.throttle_reset()
    done = client.post(
        reverse("trust:two_factor_verify"), {"token": _code(device), "next": "/projects/"}
    )
    assert done.status_code == 302 and done["Location"] == "/projects/"
    assert client.get(reverse("projects:list")).status_code == 200


def test_a_role_can_be_required_to_use_two_factor(world, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = [Role.SYSTEM_ADMIN]
    admin = client_for(world, "admin")
    response = admin.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("trust:two_factor")
    assert client_for(world, "leader_a").get(reverse("home")).status_code == 200
