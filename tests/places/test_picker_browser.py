"""The picker in a real browser: type without accents, click a result, submit."""

from __future__ import annotations

import os

import pytest

from khuyencong.places.loader import load_admin_units
from tests.places.factories import UserFactory, cuong_loi_legacy

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = "/usr/bin/chromium"
    return {
        **browser_type_launch_args,
        **({"executable_path": path} if os.path.exists(path) else {}),
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture
def signed_in_page(live_server, page, client, settings):
    settings.ROOT_URLCONF = "tests.places.picker_demo"
    load_admin_units(["Bắc Kạn"])
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def test_pick_a_commune_by_typing_without_accents(signed_in_page, live_server):
    page = signed_in_page
    page.goto(f"{live_server.url}/picker-demo/")
    page.get_by_label("Xã/phường/thị trấn").fill("cuong loi")
    option = page.get_by_role("button", name="Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn")
    option.click()
    expected = cuong_loi_legacy()
    assert page.locator("[data-picker-label]").inner_text() == expected.full_path
    assert page.locator("input[name=commune]").input_value() == str(expected.pk)
    assert page.locator(".picker-results").inner_html().strip() == ""
    page.get_by_role("button", name="Save").click()
    assert page.locator("#chosen").inner_text() == f"{expected.pk} {expected.full_path}"
