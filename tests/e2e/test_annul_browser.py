"""Browser journey (issue 20): the department leader annuls a progress entry from the
project's timeline, confirms, sees it struck through and the disbursed sum drop."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from khuyencong.core.templatetags.money import vnd
from khuyencong.projects.models import Project
from khuyencong.projects.selectors import state_of

from .test_projects_lifecycle import CODE, log_in, open_project

pytestmark = pytest.mark.e2e


def test_annul_a_progress_entry_from_the_timeline(page: Page, demo_site, screenshot):
    project = Project.objects.get(code=CODE)
    entry = project.progress_updates.filter(disbursed_amount__gt=0).order_by("-date", "-id")[0]
    before = state_of(project).disbursed

    log_in(page, demo_site, "lanhdao")
    open_project(page, demo_site)
    expect(page.locator("#project-disbursed")).to_have_text(vnd(before))
    page.locator(f'a[href$="/progress/{entry.pk}/annul/"]').click()
    form = page.locator("#annul-form")
    form.locator("[name=reason]").fill("Nhập trùng chứng từ tạm ứng")
    form.get_by_role("button", name="Kiểm tra và tiếp tục").click()
    expect(page.locator("#annul-preview")).to_contain_text("Sẽ hủy")
    expect(page.locator("#annul-preview")).to_contain_text("Nhập trùng chứng từ tạm ứng")
    screenshot(page, "annul-confirm")
    page.locator("#annul-confirm").click()

    expect(page.get_by_role("alert").filter(has_text="Đã hủy")).to_be_visible()
    expect(page.locator("#project-disbursed")).to_have_text(vnd(before - entry.disbursed_amount))
    struck = page.locator('#timeline [data-annulled="true"]')
    expect(struck).to_have_count(1)
    expect(struck).to_contain_text("Nhập trùng chứng từ tạm ứng")
    expect(struck.locator(".text-decoration-line-through")).to_be_visible()
