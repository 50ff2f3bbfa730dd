"""Issue 18, item 2: per-address rate limits on sign-in, the two-factor code and the public
certificate check, and a certificate check that tells a verifier only what they need.

The review enumerated 120 certificate numbers in 7 seconds and got each holder's name and
address. The limits below are the shipped defaults (settings.RATE_LIMITS), counted in the
configured cache per client address (through the trusted proxies).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import PASSWORD, UserFactory
from tests.contests.factories import closed_contest_with_certificates

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
VERIFY = reverse("contests:verify")
TOO_MANY = "Quá nhiều lần thử"


def _limit(name: str) -> int:
    return int(settings.RATE_LIMITS[name][1].split("/")[0])


def _too_many(response) -> bool:
    return response.status_code == 429 and TOO_MANY in response.content.decode()


def test_every_limited_page_exists_and_has_a_limit():
    for name, (method, rate) in settings.RATE_LIMITS.items():
        assert reverse(name)
        assert method in ("GET", "POST") and rate, name


def test_password_spraying_from_one_address_is_stopped():
    """One address trying a password on many usernames (axes locks each username+address
    pair only after 5 failures): the address is stopped after the login limit."""
    UserFactory(username="dung-nguoi")
    sprayer = Client(REMOTE_ADDR="198.51.100.66")
    for number in range(_limit("login")):
        response = sprayer.post(LOGIN, {"username": f"canbo{number}", "password": "Matkhau123"})
        assert response.status_code == 200
    response = sprayer.post(LOGIN, {"username": "dung-nguoi", "password": PASSWORD})
    assert _too_many(response)
    assert "Vui lòng đợi khoảng" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in sprayer.session  # the view did not run
    # another address is not concerned
    other = Client(REMOTE_ADDR="203.0.113.20")
    assert other.post(LOGIN, {"username": "dung-nguoi", "password": PASSWORD}).status_code == 302
    # opening the sign-in page is not a try
    assert sprayer.get(LOGIN).status_code == 200


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_limit_counts_each_client():
    proxy = "10.0.0.2"
    UserFactory(username="dung-nguoi")
    sprayer = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.66")
    for number in range(_limit("login") + 1):
        response = sprayer.post(LOGIN, {"username": f"canbo{number}", "password": "Matkhau123"})
    assert _too_many(response)
    other = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.20")
    assert other.post(LOGIN, {"username": "dung-nguoi", "password": PASSWORD}).status_code == 302


def test_two_factor_codes_are_limited_per_address():
    user = UserFactory(username="lanh-dao")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client(REMOTE_ADDR="198.51.100.66")
    assert client.post(LOGIN, {"username": "lanh-dao", "password": PASSWORD}).status_code == 302
    url = reverse("trust:two_factor_verify")
    for _ in range(_limit("trust:two_factor_verify")):
        assert client.post(url, {"token": "000000"}).status_code == 200
    assert _too_many(client.post(url, {"token": "000000"}))


def test_certificate_numbers_cannot_be_enumerated():
    _contest, certificates = closed_contest_with_certificates()
    prefix = certificates[0].number.rsplit("-", 1)[0]
    guesser = Client(REMOTE_ADDR="198.51.100.66")
    assert guesser.get(VERIFY).status_code == 200  # the empty form is not a try
    answers = [guesser.get(VERIFY, {"number": f"{prefix}-{n:03d}"}) for n in range(1, 121)]
    answered = [r for r in answers if r.status_code == 200]
    assert len(answered) == _limit("contests:verify")
    assert all(_too_many(r) for r in answers[len(answered) :])
    # a verifier at another address still checks a certificate
    verifier = Client(REMOTE_ADDR="203.0.113.20")
    response = verifier.get(VERIFY, {"number": certificates[0].number})
    assert response.status_code == 200
    assert certificates[0].product_name in response.content.decode()


def test_the_certificate_check_shows_what_a_verifier_needs_and_nothing_more():
    contest, certificates = closed_contest_with_certificates()
    certificate = certificates[0]
    holder = certificate.beneficiary
    holder.address = "Số 12 ngõ 34 đường Kim Mã"
    holder.phone = "0912345678"
    holder.email = "chu-co-so@example.org"
    holder.representative = "Trần Thị Bí Mật"
    holder.tax_code = "0100109106"
    holder.save()
    html = Client().get(VERIFY, {"number": certificate.number}).content.decode()
    for shown in (
        certificate.number,
        certificate.product_name,
        holder.name,
        certificate.get_level_display(),
        contest.name,
        contest.decision_number,
        "Giấy chứng nhận này đã hết hiệu lực.",  # 2020 is past
    ):
        assert shown in html, shown
    for hidden in (
        holder.address,
        holder.phone,
        holder.email,
        holder.representative,
        holder.tax_code,
    ):
        assert hidden not in html, hidden
    assert "Địa chỉ" not in html


def test_only_the_exact_number_is_found():
    _contest, certificates = closed_contest_with_certificates()
    number = certificates[0].number
    client = Client()
    for partial in (number[:-1], number[:-4], f"%{number[-3:]}", number + "0"):
        html = client.get(VERIFY, {"number": partial}).content.decode()
        assert "Không có giấy chứng nhận nào mang số này." in html, partial
        assert certificates[0].product_name not in html


def test_rates_are_read_from_the_environment(monkeypatch):
    from khuyencong import settings as production

    monkeypatch.setenv("RATE_LIMIT_LOGIN", "5/m")
    assert production.env_rate("RATE_LIMIT_LOGIN", "30/5m") == "5/m"
    monkeypatch.setenv("RATE_LIMIT_LOGIN", "off")
    assert production.env_rate("RATE_LIMIT_LOGIN", "30/5m") == ""
    monkeypatch.setenv("RATE_LIMIT_LOGIN", "nhiều")
    with pytest.raises(RuntimeError, match="RATE_LIMIT_LOGIN"):
        production.env_rate("RATE_LIMIT_LOGIN", "30/5m")
