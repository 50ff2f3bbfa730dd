"""The registration cycle in a real browser (Playwright + Chromium), in Vietnamese:

a centre officer registers an establishment's project and submits it, sees the screening
with its explanations (and a demo national-fund registration failing with its reasons); the
department leader appraises it and records the council's acceptance; the officer drafts the
2019 local-fund plan within its ceiling and submits it; the leader approves it and sees the
new projects, approved.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from khuyencong.catalog.models import ContentArea, FundingSource
from khuyencong.demo.loader import DEMO_PASSWORD, bac_kan, beneficiary
from khuyencong.projects.models import Project
from khuyencong.registrations.models import Registration
from tests.e2e.conftest import (  # noqa: F401  (fixtures)
    _allow_orm_next_to_playwright,
    browser_context_args,
    browser_type_launch_args,
    demo_site,
    screenshot,
)

pytestmark = pytest.mark.e2e
TITLE = "Hỗ trợ máy bào, máy cưa mới cho xưởng mộc Quang Phong"


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def test_register_screen_appraise_plan_and_approve(page: Page, demo_site, screenshot):  # noqa: F811
    base = demo_site
    log_in(page, base, "canbo")
    page.locator("#mainnav").get_by_role("link", name="Đăng ký đề án").click()
    expect(page.get_by_role("heading", name="Đăng ký đề án")).to_be_visible()
    expect(page.locator("#registration-rows tbody tr")).to_have_count(8)  # the demo's 2019 ones

    # a demo national-fund registration fails, each reason explained with its legal basis
    brick_row = page.locator("#registration-rows tbody tr", has_text="gạch đất sét nung")
    brick_row.get_by_role("link").first.click()
    brick = page.locator('[data-check="excluded_product"]')
    expect(brick).to_contain_text("Không đạt")
    expect(brick).to_contain_text("lò vòng")
    expect(brick).to_contain_text("Thông tư 46/2012/TT-BCT")

    # register on behalf of an establishment
    page.goto(f"{base}/registrations/new/")
    page.get_by_label("Đơn vị thụ hưởng").select_option(label="HKD Lại Văn Tú")
    page.get_by_label("Năm kế hoạch").select_option("2019")
    page.get_by_label("Nguồn kinh phí đề nghị").select_option(
        str(FundingSource.objects.get(code="local").pk)
    )
    page.get_by_label("Nội dung hoạt động").select_option(
        str(ContentArea.objects.get(code="machinery").pk)
    )
    page.get_by_label("Tên đề án").fill(TITLE)
    page.get_by_label("Sản phẩm, công nghệ").fill("Đồ mộc dân dụng; máy bào, máy cưa mới")
    page.get_by_label("Mô tả").fill("Mua máy bào cuốn và máy cưa đa năng mới.")
    page.get_by_label("Ngày đăng ký").fill("2018-05-15")
    page.get_by_label("Dự kiến bắt đầu").fill("2019-03-01")
    page.get_by_label("Dự kiến kết thúc").fill("2019-11-30")
    page.get_by_label("Tổng vốn đầu tư (đồng)").fill("160 triệu")
    page.get_by_label("Đề nghị hỗ trợ từ khuyến công địa phương (đồng)").fill("70.000.000")
    page.get_by_label("Vốn đối ứng (đồng)").fill("90 triệu")
    page.get_by_label("Máy móc thiết bị có phải máy mới?").select_option("true")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator("#screening-preview")).to_be_visible()

    # submit: the screening is stored, every check explained
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("#screening-outcome")).to_contain_text("Đạt")
    machinery = page.locator('[data-check="machinery_new"]')
    expect(machinery).to_contain_text("Máy móc thiết bị là máy mới")
    expect(machinery).to_contain_text("Thông tư 46/2012/TT-BCT")
    expect(page.locator('[data-check="support_level"]')).to_contain_text("70.000.000")
    expect(page.locator("#priority-total")).to_contain_text("Điểm ưu tiên")
    screenshot(page, "registration-screened")
    registration = Registration.objects.get(title=TITLE)
    detail = page.url

    # the department leader appraises and the council accepts
    log_in(page, base, "lanhdao")
    page.goto(detail)
    page.get_by_role("link", name="Thẩm định", exact=True).click()
    page.get_by_label("Ngày thẩm định").fill("2018-06-05")
    for name, points in (
        ("fit", 18),
        ("need_efficiency", 20),
        ("cost", 16),
        ("capacity", 12),
        ("integration", 8),
        ("dossier", 9),
    ):
        page.locator(f"#id_score_{name}").fill(str(points))
    page.get_by_label("Kiến nghị", exact=True).select_option("accept")
    page.get_by_role("button", name="Ghi phiếu thẩm định").click()
    expect(page.locator("#appraisal-sheets")).to_contain_text("83")
    page.get_by_role("link", name="Quyết định của hội đồng").click()
    page.get_by_label("Quyết định của hội đồng").select_option("accept")
    page.get_by_label("Số biên bản hoặc quyết định").fill("05/BB-HĐTĐ")
    page.get_by_label("Ngày quyết định").fill("2018-06-12")
    page.get_by_role("button", name="Ghi kết luận").click()
    expect(page.locator("#council-decision")).to_contain_text("Chấp thuận")

    # the centre drafts the 2019 local-fund plan within its ceiling and submits it
    log_in(page, base, "canbo")
    page.goto(f"{base}/registrations/plans/{bac_kan().pk}/2019/local/")
    expect(page.locator("#plan-outcome")).to_have_attribute("data-outcome", "qualified")
    page.get_by_label("Mức trần kế hoạch (đồng)").fill("50 triệu")
    page.get_by_label(registration.code).check()
    expect(page.locator("#totals [data-over]")).to_have_attribute("data-over", "yes")
    page.get_by_role("button", name="Lập dự thảo kế hoạch").click()
    expect(page.locator("#plan-errors")).to_contain_text("vượt mức trần")
    page.get_by_label("Mức trần kế hoạch (đồng)").fill("529 triệu")
    page.get_by_role("button", name="Lập dự thảo kế hoạch").click()
    expect(page.locator("#plan-state")).to_have_attribute("data-status", "draft")
    expect(page.locator("#plan-entries")).to_contain_text(registration.code)
    page.get_by_role("button", name="Trình phê duyệt kế hoạch").click()
    expect(page.locator("#plan-state")).to_have_attribute("data-status", "submitted")

    # the department leader records the provincial approval: the projects are created
    log_in(page, base, "lanhdao")
    page.goto(f"{base}/registrations/plans/{bac_kan().pk}/2019/local/")
    page.get_by_label("Số quyết định phê duyệt").fill("2510/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("2018-12-20")
    page.get_by_label("Cơ quan phê duyệt").fill("UBND tỉnh Bắc Kạn")
    page.get_by_role("button", name="Phê duyệt kế hoạch và tạo các đề án").click()
    created = page.locator("#projects-created")
    code = registration.code.replace("DK-", "DA-")
    expect(created.locator(f'[data-code="{code}"]')).to_contain_text("Đã phê duyệt")
    screenshot(page, "plan-approved")
    project = Project.objects.get(code=code)
    assert project.status == "approved" and project.registration.pk == registration.pk
    assert project.beneficiary == beneficiary("HKD Lại Văn Tú")
