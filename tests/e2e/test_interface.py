"""The finished interface in a real browser whose language is en-US: Vietnamese error pages,
dates typed day first, money grouped as typed, the project list as cards on a phone."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from khuyencong.demo.loader import DEMO_PASSWORD
from khuyencong.events.models import Event

pytestmark = pytest.mark.e2e


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def test_error_pages_are_vietnamese(page: Page, demo_site, settings, screenshot):
    settings.DEBUG = False
    log_in(page, demo_site, "canbo")
    response = page.goto(f"{demo_site}/khong-co-trang-nay/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page.get_by_role("link", name="Về trang chủ")).to_be_visible()
    expect(page.locator("#mainnav")).to_be_visible()  # in the site's layout
    screenshot(page, "error-404")

    response = page.goto(demo_site + reverse("trust:log"))
    assert response is not None and response.status == 403
    expect(page.locator("#refusal-reason")).to_contain_text(
        "việc này do Quản trị hệ thống, Quản trị cấp tỉnh, Lãnh đạo Sở Công Thương thực hiện"
    )
    screenshot(page, "error-403")


def test_date_typed_day_first_and_money_grouped_in_an_english_browser(
    page: Page, demo_site, screenshot
):
    assert page.evaluate("navigator.language") == "en-US"
    log_in(page, demo_site, "canbo")
    page.goto(demo_site + reverse("events:create"))
    form = page.locator("main form")
    form.locator("[name=kind]").select_option("training")
    title_label = form.locator("label[for=id_title]")
    expect(title_label).to_contain_text("Tên")
    expect(title_label).not_to_contain_text("Trích yếu")  # a document's title, not an event's
    form.locator("[name=title]").fill("Hội nghị tập huấn ngày 30/6")
    start = form.locator("[name=start_date]")
    expect(start).to_have_attribute("type", "text")
    expect(start).to_have_attribute("placeholder", "ngày/tháng/năm")
    start.fill("30/06/2018")
    # the calendar button writes the chosen day back, day first
    end = form.locator("[name=end_date]")
    expect(form.locator("[data-calendar-button]")).to_have_count(2)
    page.evaluate(
        """() => {
          const calendar = document.querySelector("[name=end_date]")
            .parentNode.querySelector("input[type=date]");
          calendar.value = "2018-07-01";
          calendar.dispatchEvent(new Event("change"));
        }"""
    )
    expect(end).to_have_value("01/07/2018")
    form.locator("[name=place]").select_option(index=1)
    cost = form.locator("[name=cost]")
    cost.press_sequentially("1250000000")
    expect(cost).to_have_value("1.250.000.000")
    cost.press("Backspace")
    expect(cost).to_have_value("125.000.000")
    cost.fill("80 triệu")  # words are left as typed, the server reads them
    expect(cost).to_have_value("80 triệu")
    cost.fill("")
    cost.press_sequentially("12500000")
    screenshot(page, "event-form-dates-money")
    form.locator("button[type=submit]").last.click()
    expect(page.get_by_role("heading", name="Hội nghị tập huấn ngày 30/6")).to_be_visible()
    made = Event.objects.get(title="Hội nghị tập huấn ngày 30/6")
    assert made.start_date == datetime.date(2018, 6, 30)
    assert made.end_date == datetime.date(2018, 7, 1)
    assert made.cost == 12_500_000


def test_project_list_is_cards_on_a_phone(page: Page, demo_site, screenshot):
    log_in(page, demo_site, "canbo")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_site + reverse("projects:list"))
    table = page.locator("#project-table")
    expect(table.locator("thead")).to_be_hidden()
    row = table.locator("tbody tr").first
    assert row.evaluate("row => getComputedStyle(row).display") == "block"
    status = row.locator("td").nth(4)
    expect(status).to_have_attribute("data-label", "Trạng thái")
    label = status.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "Trạng thái" in label
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing scrolls sideways
    screenshot(page, "projects-mobile-cards")
