"""Browser journey of the reports: the dashboard, the report preview for Bắc Kạn H1 2018,
editing a narrative paragraph, downloading the DOCX that carries the edit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e

EDITED = "Trung tâm đã đôn đốc từng đơn vị thụ hưởng hằng tháng (đoạn sửa trong trình duyệt)."


def test_dashboard_then_preview_edit_and_download(page: Page, demo_site, screenshot, tmp_path):
    log_in(page, demo_site)

    page.locator("#mainnav").get_by_role("link", name="Tổng quan").click()
    expect(page.get_by_role("heading", name="Tổng quan", exact=True)).to_be_visible()
    expect(page.locator('[data-kpi="total"]')).to_contain_text("13")
    expect(page.locator('[data-chart="status"] svg')).to_be_visible()
    expect(page.locator("#project-map circle")).to_have_count(7)
    screenshot(page, "dashboard")

    # drill down: the KPI opens the project list filtered the same way
    completed = int(page.locator('[data-kpi="completed"] .fs-3').inner_text())
    assert completed == 6  # as of today: three settled, three accepted
    page.locator('[data-kpi="completed"]').click()
    expect(page).to_have_url(re.compile(r"/projects/\?.*phase=completed"))
    expect(page.locator("#project-table tbody tr")).to_have_count(completed)

    page.locator("#mainnav").get_by_role("link", name="Báo cáo").click()
    page.get_by_role("link", name="Lập báo cáo").click()
    page.get_by_label("Năm kế hoạch").fill("2018")
    page.get_by_label("Kỳ báo cáo").select_option("H1")
    page.get_by_role("button", name="Xem trước").click()
    document = page.locator("#report-document")
    expect(document).to_contain_text("Thứ nhất, về tình hình thực hiện kế hoạch kinh phí")
    expect(document).to_contain_text("– 02/10 đề án đã hoàn thành gồm:")
    expect(document).to_contain_text("Cục Công Thương địa phương giao nhiệm vụ từ tháng 5/2018")

    page.get_by_label("Đoạn về các đề án Khuyến công địa phương").fill(EDITED)
    page.get_by_role("button", name="Cập nhật bản xem trước").click()
    expect(page.locator("#report-document")).to_contain_text(EDITED)
    screenshot(page, "report-preview")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Word (DOCX)").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.suffix == ".docx"
    from docx import Document

    text = "\n".join(paragraph.text for paragraph in Document(str(path)).paragraphs)
    assert f"{EDITED} Kết quả như sau:" in text
    assert "Đối với Khuyến công quốc gia: Năm 2018" in text
