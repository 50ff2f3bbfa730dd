"""Browser journey of a report's sign-off (issue 21): the centre saves the Bắc Kạn H1 2018
report and submits it, the department's leader signs and issues it with its number (the page
then shows it locked) and records it sent, and the national agency finds it in the list of the
provinces' reports received, with the day it arrived."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e


def test_submit_issue_lock_and_national_list(page: Page, demo_site, screenshot):
    from khuyencong.reports.models import SavedReport, SignoffStatus

    # The centre builds the report and saves it: a draft, which it submits for signature.
    log_in(page, demo_site, "canbo")
    page.goto(f"{demo_site}/reports/new/")
    page.get_by_label("Năm kế hoạch").fill("2018")
    page.get_by_label("Kỳ báo cáo").select_option("H1")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#report-document")).to_contain_text("Thứ nhất")
    page.locator("#report-edit [name=issued_on]").fill("05/07/2018")
    page.locator("button[name=action][value=save]").click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))
    expect(page.locator("#signoff-status")).to_have_text("Dự thảo")
    expect(page.locator("#form-issue")).to_have_count(0)  # the centre does not sign
    page.locator("#form-submit button[type=submit]").click()
    expect(page.locator("#signoff-status")).to_have_text("Đã trình ký")
    report_url = page.url

    # The department's leader signs and issues it with its number and date.
    page.context.clear_cookies()  # sign out
    log_in(page, demo_site, "lanhdao")
    page.goto(report_url)
    form = page.locator("#form-issue")
    form.locator("[name=number]").fill("57")
    form.locator("[name=issued_on]").fill("10/07/2018")
    form.locator("button[type=submit]").click()
    expect(page.locator("#signoff-status")).to_have_text("Đã ký, ban hành")
    expect(page.locator("#report-locked")).to_be_visible()
    expect(page.locator("#report-document")).to_contain_text("57/")
    expect(page.locator("#form-issue")).to_have_count(0)
    expect(page.get_by_role("button", name="Lưu trữ")).to_have_count(0)  # not archived either
    expect(page.locator("#signoff-history")).to_contain_text("Lê Thị Bình")
    screenshot(page, "report-issued-locked")
    send = page.locator("#form-send")
    send.locator("[name=sent_on]").fill("12/07/2018")
    send.locator("button[type=submit]").click()
    expect(page.locator("#signoff-status")).to_have_text("Đã gửi")

    report = SavedReport.objects.get(number="57")
    assert report.status == SignoffStatus.SENT and report.is_locked

    # The national agency sees it among the provinces' reports received.
    page.context.clear_cookies()
    log_in(page, demo_site, "quocgia")
    page.goto(f"{demo_site}/reports/received/")
    row = page.locator("#received-table tbody tr").filter(has_text="Bắc Kạn")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("57")
    expect(row).to_contain_text("12/07/2018")
    expect(row).not_to_contain_text("Trễ hạn")
    screenshot(page, "reports-received")
