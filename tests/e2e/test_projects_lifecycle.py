"""Browser journeys through a project's life on the demo (Bắc Kạn 2018).

The demo loads each project's whole 2018 history, so the project still at 50 % of its work is
BK-KCDP-2018-05 (design and packaging; Lại Văn Tú's woodworking project BK-KCDP-2018-06 is
accepted in October 2018). The centre records the rest of the work and an advance, the
department leader accepts the project, and the plan's totals follow.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from khuyencong.catalog.models import ContentArea
from khuyencong.demo.loader import DEMO_PASSWORD
from khuyencong.plans.models import Plan
from khuyencong.projects.models import EventKind, Project, Status
from khuyencong.projects.plan_selectors import plan_figures

pytestmark = pytest.mark.e2e

PLAN_TITLE = "Kế hoạch khuyến công địa phương năm 2018 tỉnh Bắc Kạn"
CODE = "BK-KCDP-2018-05"


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def open_project(page: Page, base: str) -> None:
    page.locator("#mainnav").get_by_role("link", name="Kế hoạch", exact=True).click()
    page.get_by_role("link", name=PLAN_TITLE).click()
    expect(page.get_by_role("heading", name=PLAN_TITLE)).to_be_visible()
    page.locator("#plan-projects").get_by_role("link", name=CODE).click()
    expect(page.locator("#project-status")).to_have_text("Đang thực hiện")


def test_record_the_last_work_then_accept_the_project(page: Page, demo_site, screenshot):
    plan = Plan.objects.get(title=PLAN_TITLE)
    before = plan_figures(plan)

    # The centre: the plan page, the project, the rest of the work and an advance.
    log_in(page, demo_site, "canbo")
    page.locator("#mainnav").get_by_role("link", name="Kế hoạch", exact=True).click()
    page.get_by_role("link", name=PLAN_TITLE).click()
    expect(page.locator('[data-figure="disbursed"]')).to_have_text("214.000.000 đ")
    screenshot(page, "plan-kcdp-2018")
    page.locator("#plan-projects").get_by_role("link", name=CODE).click()
    expect(page.locator("#project-progress")).to_have_text("50 %")
    # acceptance is the department's: the centre sees the button off, and why
    expect(page.locator('#next-steps [data-kind="accept"]')).to_be_disabled()
    expect(page.locator("#action-reasons")).to_contain_text(
        "việc này do Quản trị hệ thống, Lãnh đạo Sở Công Thương thực hiện."
    )
    page.get_by_role("link", name="Cập nhật tiến độ, giải ngân").click()
    expect(page.locator("#advance-room")).to_have_text("14.500.000 đ")
    form = page.locator("#progress-form")
    form.locator("[name=date]").fill("2018-11-20")
    form.locator("[name=progress_percent]").fill("100")
    form.locator("[name=disbursed_amount]").fill("14.500.000")
    form.locator("[name=note]").fill("Hoàn thành thiết kế mẫu mã, bao bì")
    form.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_role("alert").filter(has_text="Đã ghi nhận tiến độ: 100 %")).to_be_visible()
    expect(page.locator("#project-progress")).to_have_text("100 %")
    expect(page.locator("#project-disbursed")).to_have_text("24.500.000 đ")

    # The department leader accepts it.
    log_in(page, demo_site, "lanhdao")
    open_project(page, demo_site)
    page.locator('#next-steps [data-kind="accept"]').click()
    expect(page.get_by_role("heading", name="Nghiệm thu")).to_be_visible()
    form = page.locator("#step-form")
    form.locator("[name=effective_date]").fill("2018-11-28")
    form.locator("[name=document_number]").fill("30/BB-NT")
    form.locator("[name=document_date]").fill("2018-11-28")
    form.locator("[name=issuer]").fill("Sở Công Thương tỉnh Bắc Kạn")
    form.locator("[name=amount]").fill("35.000.000")
    screenshot(page, "step-form-accept")
    form.get_by_role("button", name="Ghi nhận: Nghiệm thu").click()

    expect(
        page.get_by_role("alert").filter(has_text="Đã ghi nhận: Nghiệm thu ngày 28/11/2018")
    ).to_be_visible()
    expect(page.locator("#project-status")).to_have_text("Đã nghiệm thu")
    last = page.locator("#timeline > li").last
    expect(last).to_contain_text("28/11/2018")
    expect(last).to_contain_text("Nghiệm thu")
    expect(last).to_contain_text("30/BB-NT, Sở Công Thương tỉnh Bắc Kạn")
    expect(last).to_contain_text("35.000.000 đ")
    expect(page.locator("#timeline")).to_contain_text("Khối lượng 100 %")
    screenshot(page, "project-accepted-timeline")

    # The plan's totals: 14,5 M more disbursed, one more project completed.
    page.get_by_role("navigation", name="Đường dẫn").get_by_role("link", name=PLAN_TITLE).click()
    expect(page.locator('[data-figure="disbursed"]')).to_have_text("228.500.000 đ")
    expect(page.locator("#phase-counts")).to_contain_text("Đã hoàn thành (nghiệm thu): 6")
    row = page.locator(f'#plan-projects tr[data-code="{CODE}"]')
    expect(row).to_contain_text("100 %")
    screenshot(page, "plan-kcdp-2018-after")

    project = Project.objects.get(code=CODE)
    assert project.status == Status.ACCEPTED
    accept = project.events.get(kind=EventKind.ACCEPT)
    assert (accept.amount, accept.actor.username) == (35_000_000, "lanhdao")
    after = plan_figures(plan)
    assert after.disbursed == before.disbursed + 14_500_000
    assert after.allocated == before.allocated  # an accepted project keeps its money


def test_a_refused_step_shows_the_vietnamese_reason(page: Page, demo_site, screenshot):
    log_in(page, demo_site, "lanhdao")
    open_project(page, demo_site)
    page.locator('#next-steps [data-kind="accept"]').click()
    form = page.locator("#step-form")
    form.locator("[name=effective_date]").fill("2018-11-28")
    form.locator("[name=document_number]").fill("30/BB-NT")
    form.get_by_role("button", name="Ghi nhận: Nghiệm thu").click()

    alert = page.locator("#step-form .alert-danger")
    expect(alert).to_have_text(
        "Nghiệm thu cần hoàn thành toàn bộ khối lượng công việc (100 %); hiện mới ghi nhận: 50 %."
    )
    expect(form.locator("[name=document_number]")).to_have_value("30/BB-NT")  # input kept
    screenshot(page, "step-form-refused")
    # a date outside the plan's years is refused too, with its own reason
    form.locator("[name=effective_date]").fill("2021-03-01")
    form.get_by_role("button", name="Ghi nhận: Nghiệm thu").click()
    expect(alert).to_contain_text("quá xa thời kỳ của kế hoạch 2018")

    project = Project.objects.get(code=CODE)
    assert project.status == Status.IN_PROGRESS
    assert not project.events.filter(kind=EventKind.ACCEPT).exists()


def test_register_a_project_with_the_pickers(page: Page, demo_site):
    log_in(page, demo_site, "canbo")
    page.locator("#mainnav").get_by_role("link", name="Kế hoạch", exact=True).click()
    page.get_by_role("link", name=PLAN_TITLE).click()
    page.get_by_role("link", name="Đăng ký đề án vào kế hoạch này").click()
    form = page.locator("#project-form")
    expect(form.locator("[name=plan] option:checked")).to_contain_text(PLAN_TITLE)
    form.locator("[name=code]").fill("BK-KCDP-2018-11")
    form.locator("[name=title]").fill("Hỗ trợ máy chà nhám cho xưởng mộc")
    machinery = ContentArea.objects.get(code="machinery")
    form.locator("[name=content_area]").select_option(value=str(machinery.pk))
    beneficiary = form.locator("[data-picker]").filter(has=page.locator("input[name=beneficiary]"))
    beneficiary.locator("[data-picker-search]").fill("lai van tu")
    beneficiary.locator("[data-picker-value]").filter(has_text="HKD Lại Văn Tú").click()
    expect(beneficiary.locator("span[data-picker-label]")).to_contain_text("Xã Quang Phong")
    place = form.locator("[data-picker]").filter(has=page.locator("input[name=place]"))
    place.locator("[data-picker-search]").fill("quang phong")
    place.locator("[data-picker-value]").filter(has_text="Huyện Na Rì").first.click()
    form.locator("[name=registered_on]").fill("2018-07-02")
    form.locator("[name=budget_local]").fill("20 triệu")
    form.locator("[name=start_date]").fill("2018-08-01")
    form.get_by_role("button", name="Đăng ký").click()

    expect(page.get_by_role("heading", name="Hỗ trợ máy chà nhám cho xưởng mộc")).to_be_visible()
    expect(page.locator("#project-status")).to_have_text("Đã đăng ký")
    project = Project.objects.get(code="BK-KCDP-2018-11")
    assert project.beneficiary.name == "HKD Lại Văn Tú"
    assert project.place.name == "Xã Quang Phong" and project.budget_local == 20_000_000
