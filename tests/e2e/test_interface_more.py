"""The finished interface, more of it, in a real browser (en-US): breadcrumbs never lead to a
page the user cannot open, and the beneficiary page shows its support history with the
double-support warning."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from khuyencong.accounts.models import User
from khuyencong.projects.models import Project
from tests.e2e.test_interface import log_in

pytestmark = pytest.mark.e2e


def _project_of_the_establishment_user() -> Project:
    """A demo project for one establishment, whose user account ("htx") is that
    establishment's."""
    htx = User.objects.get(username="htx")
    project = Project.objects.filter(beneficiary=htx.beneficiary_id, plan__isnull=False).first()
    if project is None:
        project = Project.objects.filter(beneficiary__isnull=False, plan__isnull=False).first()
        htx.beneficiary = project.beneficiary
        htx.save(update_fields=["beneficiary"])
    return project


def test_the_plan_crumb_is_text_for_the_establishment_and_a_link_for_the_centre(
    page: Page, demo_site, screenshot
):
    project = _project_of_the_establishment_user()
    url = demo_site + reverse("projects:detail", args=[project.pk])
    crumbs = page.locator("ol.breadcrumb")

    log_in(page, demo_site, "htx")
    page.goto(url)
    expect(crumbs).to_contain_text(project.plan.title)
    expect(crumbs.get_by_role("link", name=project.plan.title)).to_have_count(0)
    for link in crumbs.get_by_role("link").all():  # what is still a link opens
        href = link.get_attribute("href")
        response = page.request.get(demo_site + href)
        assert response.status == 200, href
    screenshot(page, "breadcrumb-establishment")

    log_in(page, demo_site, "canbo")
    page.goto(url)
    crumbs.get_by_role("link", name=project.plan.title).click()
    expect(page).to_have_url(demo_site + reverse("plans:detail", args=[project.plan.pk]))
    expect(page.get_by_role("heading", name=project.plan.title)).to_be_visible()


def test_the_beneficiary_page_warns_of_double_support(page: Page, demo_site, screenshot):
    from tests.projects.factories import content_area, make_plan, make_project

    owner = _project_of_the_establishment_user().beneficiary
    area = content_area("machinery")
    for source_code, budget in (("national", 300_000_000), ("local", 120_000_000)):
        plan = make_plan(source_code=source_code, year=2023, ceiling=10**10)
        make_project(
            plan,
            beneficiary=owner,
            place=owner.commune,
            content_area=area,
            budget=budget,
            code=f"TH-2023-{source_code}",
        )
    log_in(page, demo_site, "canbo")
    page.goto(demo_site + reverse("beneficiaries:detail", args=[owner.pk]))
    history = page.locator("#support-history")
    expect(history.get_by_role("heading", name="Lịch sử hỗ trợ")).to_be_visible()
    expect(history.locator("tr[data-project='TH-2023-national']")).to_contain_text("2023")
    expect(history.locator("tr[data-project='TH-2023-national']")).to_contain_text("300.000.000")
    expect(history.locator("tr[data-project='TH-2023-local']")).to_contain_text("120.000.000")
    warning = history.locator(".double-support")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("TH-2023-national")
    expect(warning).to_contain_text("TH-2023-local")
    expect(warning).to_contain_text("quy định chưa xác nhận")
    screenshot(page, "beneficiary-support-history")
