"""Breadcrumbs never lead to a page the user cannot open: every crumb goes through
``{% crumb %}`` (accounts/templatetags/crumbs.py), a link only when ``accounts.roles`` lets
the user open the page it names, else plain text."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from khuyencong.accounts.models import Role, ScopeLevel
from tests.beneficiaries.factories import BeneficiaryFactory
from tests.projects.factories import make_plan, make_project, units, user

SRC = Path(__file__).resolve().parents[2] / "src" / "khuyencong"


def crumbs(response) -> list[tuple[str, str | None]]:
    """The breadcrumb items of a page: (text, href or None)."""
    page = lxml.html.fromstring(response.content)
    items = page.xpath(
        "//ol[contains(@class, 'breadcrumb')]/li[contains(@class, 'breadcrumb-item')"
        " and not(contains(@class, 'active'))]"
    )
    result = []
    for item in items:
        link = item.find("a")
        result.append((item.text_content().strip(), link.get("href") if link is not None else None))
    return result


def test_no_template_writes_a_breadcrumb_link_by_hand():
    offenders = []
    for template in SRC.glob("*/templates/**/*.html"):
        text = template.read_text()
        if re.search(r'breadcrumb-item"?[^>]*>\s*<a\b', text):
            offenders.append(str(template.relative_to(SRC)))
        for tag in re.findall(r"\{% crumb .*? %\}", text):
            if "perm=" not in tag and "may=" not in tag:
                offenders.append(f"{template.relative_to(SRC)}: {tag}")
    assert offenders == []


@pytest.mark.django_db
def test_a_crumb_links_only_for_users_who_may_open_its_page():
    template = Template('{% load crumbs %}{% crumb _("Plans") "plans:list" perm="plans.view" %}')
    request = RequestFactory().get("/")
    request.user = user(Role.CENTRE_STAFF)
    assert 'href="/plans/"' in template.render(Context({"request": request}))
    request.user = user(Role.BENEFICIARY)  # projects yes, plans no
    html = template.render(Context({"request": request}))
    assert "href" not in html and "breadcrumb-item" in html


@pytest.mark.django_db
def test_a_crumb_with_neither_permission_nor_decision_is_refused():
    template = Template('{% load crumbs %}{% crumb "x" "plans:list" %}')
    request = RequestFactory().get("/")
    request.user = user(Role.CENTRE_STAFF)
    with pytest.raises(ValueError):
        template.render(Context({"request": request}))


@pytest.fixture
def project_of_an_establishment():
    commune = units()["02152"]
    owner = BeneficiaryFactory(commune=commune)
    plan = make_plan(source_code="local", year=2019)
    return make_project(plan, beneficiary=owner, place=commune)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["district_officer", "beneficiary"])
def test_the_plan_crumb_is_text_for_a_user_who_cannot_open_the_plan(
    client, project_of_an_establishment, who
):
    project = project_of_an_establishment
    commune = units()["02152"]
    if who == "district_officer":
        viewer = user(
            Role.DISTRICT_OFFICER, scope_level=ScopeLevel.DISTRICT, district=commune.parent
        )
    else:
        viewer = user(Role.BENEFICIARY, beneficiary=project.beneficiary)
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("projects:detail", args=[project.pk]))
    assert page.status_code == 200
    # the user really cannot open the plan: the crumb would have led to an error page
    assert client.get(reverse("plans:detail", args=[project.plan.pk])).status_code in (403, 404)
    items = dict(crumbs(page))
    assert items[project.plan.title] is None
    # every crumb still linked opens
    for _text, href in crumbs(page):
        if href:
            assert client.get(href).status_code == 200, href


@pytest.mark.django_db
def test_the_plan_crumb_links_for_the_centre(client, project_of_an_establishment):
    project = project_of_an_establishment
    client.force_login(user(Role.CENTRE_STAFF), backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("projects:detail", args=[project.pk]))
    assert dict(crumbs(page))[project.plan.title] == reverse("plans:detail", args=[project.plan.pk])
    # and a project's sub-page (the progress form) names it too
    progress = client.get(reverse("projects:document_create", args=[project.pk]))
    assert progress.status_code == 200
    items = dict(crumbs(progress))
    assert items[project.plan.title] == reverse("plans:detail", args=[project.plan.pk])
    assert items[project.code] == reverse("projects:detail", args=[project.pk])
