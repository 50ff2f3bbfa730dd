"""The page frame: navigation per role, the user's role and scope, query budget."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role, ScopeLevel
from khuyencong.places.models import Level
from tests.accounts.factories import BAC_KAN, NA_RI, BeneficiaryFactory, UserFactory, legacy

pytestmark = pytest.mark.django_db

AREAS = [
    "Việc cần làm",
    "Tổng quan",
    "Kế hoạch",
    "Đăng ký đề án",
    "Đề án",
    "Đơn vị thụ hưởng",
    "Bình chọn sản phẩm",
    "Hội nghị, hội chợ",
    "Báo cáo",
    "Nhập dữ liệu",
    "Danh mục",
    "Nhật ký thay đổi",
    "Thiết lập",
    "Quản trị",
]


def nav_labels(html: str) -> list[str]:
    nav = html[html.index('<ul class="navbar-nav') : html.index("</ul>", html.index("navbar-nav"))]
    return [label.strip() for label in re.findall(r'class="nav-link[^"]*"[^>]*>([^<]+)<', nav)]


def test_system_administrator_sees_every_area(client):
    client.force_login(
        UserFactory(role=Role.SYSTEM_ADMIN, scope_level=ScopeLevel.NATIONAL, province=None)
    )
    assert nav_labels(client.get(reverse("home")).content.decode()) == AREAS


def test_centre_staff_sees_the_work_areas_but_not_administration(client):
    client.force_login(UserFactory(role=Role.CENTRE_STAFF))
    html = client.get(reverse("home")).content.decode()
    # the province's set-up (report settings) but not the audit log or the Django admin
    assert nav_labels(html) == [*AREAS[:-3], "Thiết lập"]
    assert "Cán bộ Trung tâm Khuyến công · Tỉnh Bắc Kạn" in html


def test_jury_member_sees_the_product_vote_and_catalogs(client):
    client.force_login(UserFactory(role=Role.JURY_MEMBER))
    assert nav_labels(client.get(reverse("home")).content.decode()) == [
        "Việc cần làm",
        "Bình chọn sản phẩm",
        "Danh mục",
    ]


def test_district_officer_scope_is_shown(client):
    client.force_login(
        UserFactory(
            role=Role.DISTRICT_OFFICER,
            scope_level=ScopeLevel.DISTRICT,
            province=legacy(Level.PROVINCE, BAC_KAN),
            district=legacy(Level.DISTRICT, NA_RI),
        )
    )
    assert "Huyện Na Rì, Tỉnh Bắc Kạn" in client.get(reverse("home")).content.decode()


def test_active_area_is_marked(client):
    client.force_login(UserFactory())
    html = client.get(reverse("plans:list")).content.decode()
    assert 'class="nav-link active" href="/plans/" aria-current="page"' in html


def test_home_page_query_budget(client, django_assert_max_num_queries):
    client.force_login(UserFactory(role=Role.BENEFICIARY, beneficiary=BeneficiaryFactory()))
    with django_assert_max_num_queries(6):
        assert client.get(reverse("home")).status_code == 200


def test_static_assets_are_vendored_not_from_a_cdn(client):
    html = client.get(reverse("login")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert not re.search(r'(src|href)="https?://', html)
