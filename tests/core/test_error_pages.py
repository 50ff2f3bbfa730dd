"""Error pages: Vietnamese, in the site's layout, saying what to do next; a refusal names who
can do the step; a 500 shows no traceback and needs neither the database nor the request."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.core import views
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LAYOUT = 'class="navbar navbar-expand-lg'


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def test_404_is_vietnamese_in_the_layout(client):
    client.force_login(UserFactory(role=Role.CENTRE_STAFF))
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html
    assert "Cách xử lý" in html and "Về trang chủ" in html
    assert LAYOUT in html and 'href="/projects/"' in html  # the menu of a signed-in user
    assert "Not Found" not in html


def test_404_for_anonymous_visitor_too(client):
    response = client.get("/projects/999999/")
    assert response.status_code in (302, 404)
    response = client.get("/khong-co/")
    assert response.status_code == 404 and "Không tìm thấy trang" in response.content.decode()


def test_403_names_who_can_do_it(client):
    client.force_login(UserFactory(role=Role.CENTRE_STAFF))
    response = client.get(reverse("trust:log"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Bạn không mở được trang này" in html
    assert LAYOUT in html
    # accounts.roles: the audit log is the administrators' and the department leader's
    holders = "Quản trị hệ thống, Quản trị cấp tỉnh, Lãnh đạo Sở Công Thương"
    assert f"việc này do {holders} thực hiện" in html
    assert "403 Forbidden" not in html


def test_csrf_failure_page_is_vietnamese():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hiệu lực" in html and LAYOUT in html
    assert "CSRF cookie" not in html  # no technical reason shown


@override_settings(ROOT_URLCONF="tests.core.error_urls")
def test_500_shows_no_traceback():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Lỗi hệ thống" in html and "Cách xử lý" in html
    assert "secret-internal-detail" not in html and "Traceback" not in html
    assert "RuntimeError" not in html
    assert 'class="navbar' in html  # the site's frame, drawn without context processors


def test_500_renders_without_database(django_assert_num_queries, rf):
    with django_assert_num_queries(0):
        response = views.server_error(rf.get("/"))
    assert response.status_code == 500 and "Lỗi hệ thống" in response.content.decode()
