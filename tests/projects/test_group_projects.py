"""Issue 19: project kinds (one beneficiary, group project, the centre's own), group
projects' participants by dated decision, multi-year plans in the lists."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.projects import plan_services
from khuyencong.projects.selectors import project_list
from khuyencong.projects.services import SYSTEM

from .factories import make_project, province, source, user

pytestmark = pytest.mark.django_db
D = datetime.date


def period_plan(first=2024, last=2026, source_code="local", ceiling=10**10):
    plan = plan_services.create_plan(
        actor=SYSTEM,
        province=province(),
        year=first,
        end_year=last,
        funding_source=source(source_code),
        title=f"Kế hoạch {source_code} giai đoạn {first} – {last}",
        ceiling=ceiling,
    )
    plan_services.approve_plan(
        plan=plan, actor=SYSTEM, decision_number=f"{first}/QĐ-UBND", decision_date=D(first, 1, 1)
    )
    return plan


def test_list_year_filter_includes_the_plans_whose_period_covers_the_year(client):
    plan = period_plan()
    project = make_project(plan, registered_on=D(2024, 3, 1))
    viewer = user(Role.CENTRE_STAFF)
    for year in (2024, 2025, 2026):
        assert [row.pk for row in project_list(user=viewer, filters={"year": year})] == [project.pk]
    assert not project_list(user=viewer, filters={"year": 2027}).exists()
    assert not project_list(user=viewer, filters={"year": 2023}).exists()
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("projects:list"), {"year": 2025})
    assert [row.pk for row, _state in response.context["rows"]] == [project.pk]
