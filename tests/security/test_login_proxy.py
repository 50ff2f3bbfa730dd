"""Issue 18, item 2: behind a reverse proxy the login lockout counts the client, not the proxy.

With ``TRUSTED_PROXY_COUNT=1`` every request reaches the app from the proxy's address; the
client's own address is the last entry of ``X-Forwarded-For``. Five wrong passwords from one
client used to lock the account for everybody (django-axes read ``REMOTE_ADDR``: django-ipware,
which the ``AXES_IPWARE_*`` settings were meant for, is not installed).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory
from tests.security.production import run_with_production_settings

LOGIN = reverse("login")
PROXY = "10.0.0.2"
ATTACKER = "198.51.100.66"
VICTIM = "203.0.113.20"

pytestmark = pytest.mark.django_db


def _post(client: Client, client_address: str, password: str):
    return client.post(
        LOGIN,
        {"username": "nan-nhan", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


@override_settings(TRUSTED_PROXY_COUNT=1, AXES_ENABLED=True, DEBUG=False)
def test_failures_from_one_client_do_not_lock_the_account_for_another():
    UserFactory(username="nan-nhan")
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(attacker, ATTACKER, "sai-mat-khau")
    assert _post(attacker, ATTACKER, PASSWORD).status_code == 429  # that client is locked
    # the user, from their own address behind the same proxy, still signs in
    victim = Client()
    response = _post(victim, VICTIM, PASSWORD)
    assert response.status_code == 302, response.content.decode()[:300]
    assert "_auth_user_id" in victim.session


@override_settings(TRUSTED_PROXY_COUNT=1, AXES_ENABLED=True, DEBUG=False)
def test_the_guessing_client_itself_is_locked_out():
    UserFactory(username="nan-nhan")
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(attacker, ATTACKER, "sai-mat-khau")
    # even with the right password, and whatever the client writes further left in the header
    response = attacker.post(
        LOGIN,
        {"username": "nan-nhan", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"192.0.2.1, {ATTACKER}",
    )
    assert response.status_code == 429
    assert "Tài khoản tạm khoá" in response.content.decode()
    assert "_auth_user_id" not in attacker.session


def test_production_settings_give_axes_the_projects_client_address(tmp_path):
    """The settings module itself (DEBUG=0, TRUSTED_PROXY_COUNT=1, as docs/deploy.md says):
    axes resolves the address through core.origin.client_ip."""
    code = (
        "from django.test import RequestFactory\n"
        "from axes.helpers import get_client_ip_address\n"
        "request = RequestFactory().post('/accounts/login/', REMOTE_ADDR='10.0.0.2',"
        " HTTP_X_FORWARDED_FOR='192.0.2.1, 198.51.100.66')\n"
        "print(get_client_ip_address(request))\n"
    )
    output = run_with_production_settings(code, tmp_path, TRUSTED_PROXY_COUNT="1")
    assert output.split() == ["198.51.100.66"]
