"""In a real browser (Chromium), the strict Content-Security-Policy blocks nothing the pages
need: no CSP violation on the main pages, the menus (Bootstrap) and htmx filtering work."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

PAGES = [
    "home",
    "projects:list",
    "plans:list",
    "beneficiaries:list",
    "beneficiaries:create",
    "events:create",  # date fields with their calendar button, money grouped as typed
    "catalog:index",
    "reports:index",
    "trust:log",
    "trust:two_factor",
    "admin:index",
]


def test_no_page_breaks_the_content_security_policy(page: Page, demo_site):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.goto(f"{demo_site}/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "khuyencong-demo")
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))
    for name in PAGES:
        page.goto(demo_site + reverse(name))
        page.wait_for_load_state("networkidle")
    page.goto(demo_site + reverse("beneficiaries:list"))
    page.fill("#id_q", "thanh ngan")  # htmx swaps the results in
    expect(page.locator("#beneficiary-rows")).to_contain_text("Thành Ngân")
    page.click("#user-menu")  # Bootstrap's dropdown
    expect(page.get_by_role("link", name="Đăng nhập hai lớp")).to_be_visible()
    assert violations == []
