"""Browser journey of a province's own procedure (issue 21), in Lạng Sơn (not the demo's Bắc
Kạn, which keeps the national rules): the centre officer cannot accept a local-fund project
and is told who can; the province administrator lets the centre record acceptance from
1 November 2019 (dated, with its reason, in the page's history); the centre officer then
accepts the project in the browser."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from khuyencong.accounts.models import Organisation, Role, ScopeLevel, User
from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.projects import services
from khuyencong.projects.models import EventKind, ProvinceProcedureStep, Status
from khuyencong.projects.services import SYSTEM

pytestmark = pytest.mark.e2e

PASSWORD = "mat-khau-lang-son-2026"
CODE = "LS-KCDP-2019-01"
D = datetime.date


@pytest.fixture
def lang_son_project(transactional_db, live_server):
    from khuyencong.demo.reference import seed_reference_data
    from khuyencong.places.loader import load_admin_units
    from tests.projects import factories as pf

    seed_reference_data()
    load_admin_units(["Lạng Sơn"])
    province = AdminUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, short_name="Lạng Sơn")
    commune = AdminUnit.objects.filter(level=Level.COMMUNE, province=province).order_by("code")[0]
    Organisation.objects.create(
        kind="centre", name="Trung tâm Khuyến công Lạng Sơn", province=province
    )
    plan = pf.make_plan(source_code="local", year=2019, unit=province, ceiling=900_000_000)
    project = pf.make_project(
        plan,
        code=CODE,
        title="Hỗ trợ máy sấy chè",
        place=commune,
        budget=120_000_000,
        registered_on=D(2019, 1, 5),
    )
    pf.walk(project, Status.IN_PROGRESS, D(2019, 1, 10))
    services.record_progress(
        project=project, actor=SYSTEM, date=D(2019, 9, 1), progress_percent=100
    )
    for username, role in (("quantri-ls", Role.PROVINCE_ADMIN), ("canbo-ls", Role.CENTRE_STAFF)):
        user = User.objects.create(
            username=username,
            first_name="Người",
            last_name=username,
            role=role,
            scope_level=ScopeLevel.PROVINCE,
            province=province,
        )
        user.set_password(PASSWORD)
        user.save()
    return live_server.url, province, project


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def test_a_province_lets_its_centre_accept_then_the_centre_accepts(
    page: Page, lang_son_project, screenshot
):
    base, province, project = lang_son_project

    # The centre officer: acceptance is the department leader's under the national rules.
    sign_in(page, base, "canbo-ls")
    page.goto(f"{base}/projects/{project.pk}/")
    expect(page.locator('#next-steps [data-kind="accept"]')).to_be_disabled()
    expect(page.locator("#action-reasons")).to_contain_text("Lãnh đạo Sở Công Thương")

    # The province administrator changes the procedure from 1 November 2019.
    sign_in(page, base, "quantri-ls")
    page.goto(f"{base}/setup/{province.pk}/procedure/")
    row = page.locator('[data-procedure] tr[data-step="accept"]')
    expect(row).to_contain_text("Quy định chung")
    page.get_by_role("link", name="Thay đổi quy trình").click()
    form = page.locator("#procedure-form")
    form.locator("[name=valid_from]").fill("01/11/2019")
    form.locator("[name=notes]").fill("Quyết định 25/QĐ-UBND ngày 20/10/2019")
    form.locator('tr[data-step="accept"] input[value="centre_staff"]').check()
    form.locator("[name=accept_deadline]").fill("15")
    screenshot(page, "procedure-edit")
    form.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").filter(has_text="áp dụng từ ngày 01/11/2019")).to_be_visible()
    page.locator("[name=day]").fill("30/11/2019")
    page.get_by_role("button", name="Xem").click()
    row = page.locator('[data-procedure] tr[data-step="accept"]')
    expect(row).to_contain_text("Cán bộ Trung tâm Khuyến công")
    expect(row).to_contain_text("01/11/2019")
    expect(row).to_contain_text("15")
    other = page.locator('[data-procedure] tr[data-step="approve"]')
    expect(other).to_contain_text("Quy định chung")  # only the step changed has a row
    expect(page.locator("[data-procedure-changes]")).to_contain_text("Quyết định 25/QĐ-UBND")
    screenshot(page, "procedure-table")

    # The centre officer accepts the project in the browser.
    sign_in(page, base, "canbo-ls")
    page.goto(f"{base}/projects/{project.pk}/")
    page.locator('#next-steps [data-kind="accept"]').click()
    expect(page.get_by_role("heading", name="Nghiệm thu")).to_be_visible()
    form = page.locator("#step-form")
    form.locator("[name=effective_date]").fill("20/11/2019")
    form.locator("[name=document_number]").fill("41/BB-NT")
    form.locator("[name=document_date]").fill("20/11/2019")
    form.get_by_role("button", name="Ghi nhận: Nghiệm thu").click()
    expect(page.locator("#project-status")).to_have_text("Đã nghiệm thu")

    accept = project.events.get(kind=EventKind.ACCEPT)
    assert accept.actor.username == "canbo-ls"
    assert accept.effective_date == D(2019, 11, 20)
    [rule] = ProvinceProcedureStep.objects.filter(province=province)  # the one step changed
    assert (rule.step, rule.valid_from, rule.deadline_days) == ("accept", D(2019, 11, 1), 15)
