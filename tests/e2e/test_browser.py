"""The foundation's browser journey: log in, the beneficiary list, diacritic-free search,
create a beneficiary (bad tax code first), switch language, log out."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.demo.loader import DEMO_PASSWORD
from tests.e2e.conftest import requires_registry

pytestmark = pytest.mark.e2e

NEW_NAME = "HTX Chè Shan Tuyết Thử Nghiệm"
BAD_TAX_CODE = "4700216443"  # wrong check digit
GOOD_TAX_CODE = "4700300013"  # valid check digit, not used by the demo


def log_in(page: Page, base: str, username: str = "canbo") -> None:
    page.goto(f"{base}/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def test_tax_code_constants_are_what_they_claim():
    from khuyencong.beneficiaries import taxcode

    assert taxcode.is_valid(GOOD_TAX_CODE)
    assert not taxcode.is_valid(BAD_TAX_CODE)


def test_log_in_switch_language_and_log_out(page: Page, demo_site, screenshot):
    log_in(page, demo_site)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    nav = page.locator("#mainnav")
    for area in ("Kế hoạch", "Đề án", "Đơn vị thụ hưởng", "Báo cáo", "Danh mục"):
        expect(nav.get_by_role("link", name=area, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Quản trị")).to_have_count(0)
    expect(page.get_by_text("Cán bộ Trung tâm Khuyến công · Tỉnh Bắc Kạn")).to_be_visible()
    screenshot(page, "home-desktop")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav.get_by_role("link", name="Beneficiaries")).to_be_visible()
    page.reload()  # the choice persists
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(nav.get_by_role("link", name="Đơn vị thụ hưởng")).to_be_visible()

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto(f"{demo_site}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_wrong_password_is_refused_in_vietnamese(page: Page, demo_site):
    page.goto(f"{demo_site}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("khong-dung")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("mật khẩu chính xác")


def test_layout_is_responsive(page: Page, demo_site, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, demo_site)
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    link = page.locator("#mainnav").get_by_role("link", name="Đơn vị thụ hưởng")
    expect(link).to_be_hidden()
    screenshot(page, "home-mobile")
    toggler.click()
    expect(link).to_be_visible()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"(^| )show( |$)"))
    screenshot(page, "home-mobile-menu")
    # no horizontal scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@requires_registry
def test_beneficiary_list_and_search_without_diacritics(page: Page, demo_site, screenshot):
    log_in(page, demo_site)
    page.locator("#mainnav").get_by_role("link", name="Đơn vị thụ hưởng").click()
    expect(page).to_have_url(re.compile(r"/beneficiaries/"))
    results = page.locator("#main")
    for name in ("HTX Thành Ngân", "HTX Nông nghiệp Tân Thành", "HKD Lại Văn Tú"):
        expect(results.get_by_text(name)).to_be_visible()
    screenshot(page, "beneficiaries-desktop")

    search = page.locator("input[name=q]")
    search.fill("thanh ngan")
    search.press("Enter")
    expect(results.get_by_text("HTX Thành Ngân")).to_be_visible()
    expect(results.get_by_text("HTX Nông nghiệp Tân Thành")).to_have_count(0)
    expect(results.get_by_text("HTX Thành Long")).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot(page, "beneficiaries-mobile")


def choose_commune(page: Page, query: str, label: str, code: str) -> None:
    """The commune picker (places.widgets.AdminUnitPicker): type, then click a result.
    Until the places branch lands, the registry falls back to a box for the official code."""
    picker = page.locator("[data-picker]").filter(has=page.locator("input[name=commune]"))
    if picker.count() == 0:
        page.locator("input[name=commune]").fill(code)
        return
    picker.locator("[data-picker-search]").fill(query)
    # "Cường Lợi" is also a commune of Thái Nguyên since 2025: pick the one of the label.
    picker.locator("[data-picker-value]").filter(has_text=label).first.click()
    expect(picker.locator("[data-picker-label]")).to_contain_text(label)


def choose_kind(page: Page, starts_with: str) -> None:
    select = page.locator("select[name=kind]")
    labels = select.locator("option").all_inner_texts()
    label = next(text for text in labels if text.strip().startswith(starts_with))
    select.select_option(label=label)


@requires_registry
def test_create_a_beneficiary_after_fixing_a_bad_tax_code(page: Page, demo_site):
    log_in(page, demo_site)
    page.goto(demo_site + reverse("beneficiaries:create"))
    form = page.locator("form").filter(has=page.locator("[name=tax_code]"))
    form.locator("[name=name]").fill(NEW_NAME)
    choose_kind(page, "Hợp tác xã")
    form.locator("[name=tax_code]").fill(BAD_TAX_CODE)
    choose_commune(page, "cuong loi na ri", "Xã Cường Lợi, Huyện Na Rì", "02152")
    form.locator("[type=submit]").last.click()

    error = page.locator(".invalid-feedback, .alert-danger")
    expect(error.first).to_be_visible()
    expect(error.filter(has_text=re.compile("mã số thuế", re.IGNORECASE)).first).to_be_visible()
    assert not Beneficiary.objects.filter(name=NEW_NAME).exists()

    form.locator("[name=tax_code]").fill(GOOD_TAX_CODE)
    form.locator("[type=submit]").last.click()
    expect(page.get_by_text(NEW_NAME).first).to_be_visible()
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    created = Beneficiary.objects.get(name=NEW_NAME)
    assert created.tax_code == GOOD_TAX_CODE
    assert created.commune.short_name == "Cường Lợi"
    assert created.district.short_name == "Na Rì"
