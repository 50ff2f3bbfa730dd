"""The preview page (/reports/) and its downloads."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        username="centre", password="unused-password-1", role="centre_staff"
    )


def test_preview_needs_a_login(client):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.get(reverse("reports:download", args=["pdf"])).status_code == 302


def test_preview_shows_the_seed_report(client, user, django_assert_max_num_queries):
    client.force_login(user)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Xem trước báo cáo" in page  # the UI in Vietnamese, the default language
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    assert "– 02/10 đề án đã hoàn thành gồm:" in page
    assert reverse("reports:download", args=["docx"]) in page
    assert 'href="/static/reports/document.css"' in page
    assert f'href="{reverse("reports:index")}" aria-current="page"' in page  # nav item active


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("html", "text/html; charset=utf-8", b"<!doctype html>"),
    ],
)
def test_downloads(client, user, fmt, content_type, magic):
    client.force_login(user)
    response = client.get(reverse("reports:download", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    assert f'filename="bao-cao-khuyen-cong-H1-2018.{fmt}"' in response["Content-Disposition"]


def test_unknown_format_is_not_found(client, user):
    client.force_login(user)
    assert client.get(reverse("reports:download", args=["odt"])).status_code == 404
