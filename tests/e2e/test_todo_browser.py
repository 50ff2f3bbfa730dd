"""Browser journey (issue 22): the centre user sees a late monthly progress report on the
to-do panel of the home page (the demo seen as of 20/12/2018), records the progress, and the
late item disappears; the count in the navigation bar follows."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from .test_projects_lifecycle import log_in

pytestmark = pytest.mark.e2e


@override_settings(KHUYENCONG_AS_OF=datetime.date(2018, 12, 20))
def test_a_late_progress_report_leaves_the_panel_once_recorded(page: Page, demo_site, screenshot):
    log_in(page, demo_site, "canbo")
    panel = page.locator("#todo-panel")
    late = panel.locator(".todo-late", has_text="Báo cáo tiến độ 11/2018: BK-KCDP-2018-05")
    expect(late).to_be_visible()
    expect(late).to_contain_text("trễ 25 ngày")
    expect(
        panel.locator(".todo-late", has_text="Báo cáo tiến độ 11/2018: BK-KCDP-2018-03")
    ).to_have_count(1)
    count = page.locator("#todo-count .text-bg-danger")
    expect(count).to_be_visible()
    before = int(count.inner_text())
    screenshot(page, "todo-panel")

    late.get_by_role("link").click()
    form = page.locator("#progress-form")
    form.locator("[name=date]").fill("28/11/2018")
    form.locator("[name=progress_percent]").fill("90")  # was 50 %
    form.locator("button[type=submit]").click()
    expect(page.get_by_role("alert").first).to_be_visible()

    page.goto(f"{demo_site}/")
    panel = page.locator("#todo-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_text("Báo cáo tiến độ 11/2018: BK-KCDP-2018-05")).to_have_count(0)
    expect(
        panel.locator(".todo-late", has_text="Báo cáo tiến độ 11/2018: BK-KCDP-2018-03")
    ).to_have_count(1)
    expect(page.locator("#todo-count .text-bg-danger")).to_have_text(str(before - 1))
