"""Log in, log out, change password, and the vi/en language switch."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from khuyencong.accounts.models import Role
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def test_pages_need_a_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_login_page_is_vietnamese_and_styled(client):
    html = client.get(LOGIN).content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert 'class="form-control"' in html
    assert 'name="username"' in html and 'name="password"' in html


def test_login_with_good_credentials_reaches_home_and_follows_next(client):
    UserFactory(username="canbo")
    response = client.post(LOGIN, {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    response = client.post(
        LOGIN, {"username": "canbo", "password": PASSWORD, "next": "/beneficiaries/"}
    )
    assert response["Location"] == "/beneficiaries/"


def test_login_with_bad_credentials_says_so_in_vietnamese(client):
    UserFactory(username="canbo")
    response = client.post(LOGIN, {"username": "canbo", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_users_cannot_log_in(client):
    UserFactory(username="nghi", is_active=False)
    response = client.post(LOGIN, {"username": "nghi", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account(client):
    UserFactory(username="canbo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "canbo", "password": "sai-mat-khau"})
    response = client.post(LOGIN, {"username": "canbo", "password": PASSWORD})
    assert "Tài khoản tạm khoá" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get(reverse("home")).status_code == 302


def test_logout_button_is_in_the_page(client):
    client.force_login(UserFactory())
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("logout")}"' in html
    assert "Đăng xuất" in html


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("password_change")
    assert "Đổi mật khẩu" in client.get(url).content.decode()
    too_short = client.post(
        url, {"old_password": PASSWORD, "new_password1": "ngan", "new_password2": "ngan"}
    )
    assert too_short.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "mot-mat-khau-moi-dai",
            "new_password2": "mot-mat-khau-moi-dai",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    assert (
        "Mật khẩu của bạn đã được thay đổi."
        in client.get(reverse("password_change_done")).content.decode()
    )
    user.refresh_from_db()
    assert user.check_password("mot-mat-khau-moi-dai")


def test_vietnamese_is_the_default_whatever_the_browser_says(client):
    client.force_login(UserFactory())
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html
    assert "Đơn vị thụ hưởng" in html


def test_language_switch_to_english_persists_and_switches_back(client):
    client.force_login(UserFactory(role=Role.CENTRE_STAFF))
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 30 * 24 * 3600  # survives closing the browser
    for _ in range(2):  # the next pages stay English
        html = client.get(reverse("home")).content.decode()
        assert '<html lang="en">' in html
        assert "Beneficiaries" in html and "Đơn vị thụ hưởng" not in html
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get(reverse("home")).content.decode()


def test_language_switch_ignores_foreign_next_urls_and_unknown_languages(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get(LOGIN).content.decode()
    assert '<html lang="vi">' in html


def test_language_form_marks_the_current_language(client):
    html = client.get(LOGIN).content.decode()
    assert 'value="vi"' in html and 'aria-pressed="true"' in html
    assert 'aria-label="English"' in html and 'aria-label="Tiếng Việt"' in html
