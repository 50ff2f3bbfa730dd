"""Plan screens: create, edit, submit, approve, adjust/supplement, with the figures as of a
date and the buttons a user may not use disabled with the reason."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.plans.models import Plan, PlanStatus
from khuyencong.projects.models import Status
from tests.projects.factories import make_plan, make_project, province, source, user, walk

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, role, **kwargs):
    client.force_login(user(role, **kwargs), backend=BACKEND)


def actions(response):
    return {action.key: action for action in response.context["actions"]["buttons"]}


def test_creating_a_draft_plan(client):
    login(client, Role.CENTRE_STAFF)
    page = client.get(reverse("plans:create"))
    assert page.context["form"]["province"].value() == province().pk
    data = {
        "province": province().pk,
        "year": 2025,
        "funding_source": source("local").pk,
        "title": "Kế hoạch khuyến công địa phương năm 2025",
        "ceiling": "1,5 tỷ",
        "approving_authority": "UBND tỉnh",
        "notes": "",
    }
    response = client.post(reverse("plans:create"), data)
    plan = Plan.objects.get(year=2025, funding_source__code="local")
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.status == PlanStatus.DRAFT
    assert plan.versions.get().ceiling == 1_500_000_000
    again = client.post(reverse("plans:create"), data)
    assert again.context["form"].errors["year"] == [
        "Tỉnh Bắc Kạn đã có kế hoạch chính năm 2025 cho nguồn kinh phí này: hãy ghi kế hoạch "
        "này là kế hoạch bổ sung."
    ]
    login(client, Role.NATIONAL_AGENCY)
    assert client.get(reverse("plans:create")).status_code == 403


def test_a_plan_is_for_a_province_in_force_in_its_year(client):
    login(client, Role.SYSTEM_ADMIN)
    data = {
        "province": province().pk,  # Bắc Kạn before the 2025 merger
        "year": 2026,
        "funding_source": source("local").pk,
        "title": "Kế hoạch 2026",
        "ceiling": "100.000.000",
    }
    response = client.post(reverse("plans:create"), data)
    [message] = response.context["form"].errors["province"]
    assert message.startswith(
        "Tỉnh Bắc Kạn không phải là đơn vị cấp tỉnh có hiệu lực vào đầu năm 2026"
    )
    assert not Plan.objects.filter(year=2026, title="Kế hoạch 2026").exists()


def test_submit_then_approve_a_local_plan(client):
    plan = make_plan(approved=False, ceiling=500_000_000)
    login(client, Role.CENTRE_STAFF)
    page = client.get(reverse("plans:detail", args=[plan.pk]))
    buttons = actions(page)
    assert buttons["submit"].decision.allowed and buttons["submit"].method == "post"
    assert not buttons["approve"].decision.allowed
    html = page.content.decode()
    assert "việc này do Quản trị hệ thống, Lãnh đạo Sở Công Thương thực hiện." in html
    response = client.post(
        reverse("plans:submit", args=[plan.pk]), {"expected_version": plan.version}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert client.get(reverse("plans:approve", args=[plan.pk])).status_code == 403

    login(client, Role.DEPARTMENT_LEADER)
    url = reverse("plans:approve", args=[plan.pk])
    assert client.get(url).context["form"]["ceiling"].value() == "500.000.000"
    data = {
        "decision_number": "2318/QĐ-UBND",
        "decision_date": f"{plan.year - 1}-12-20",
        "effective_date": "",
        "approving_authority": "UBND tỉnh Bắc Kạn",
        "ceiling": "480.000.000",
        "expected_version": plan.version,
    }
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.decision_number == "2318/QĐ-UBND"
    assert plan.ceiling_on(datetime.date(plan.year, 1, 1)) == 480_000_000
    page = client.get(reverse("plans:detail", args=[plan.pk]))
    assert "approve" not in actions(page) and "version" in actions(page)


def test_a_stale_submit_says_so(client):
    plan = make_plan(approved=False)
    login(client, Role.CENTRE_STAFF)
    response = client.post(
        reverse("plans:submit", args=[plan.pk]),
        {"expected_version": plan.version + 5},
        follow=True,
    )
    assert "Người khác đã ghi nhận thay đổi" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_national_plan_is_approved_by_the_national_agency(client):
    plan = make_plan(source_code="national", approved=False)
    login(client, Role.DEPARTMENT_LEADER)
    assert not actions(client.get(reverse("plans:detail", args=[plan.pk])))["approve"].decision
    assert client.get(reverse("plans:approve", args=[plan.pk])).status_code == 403
    login(client, Role.NATIONAL_AGENCY)
    response = client.post(
        reverse("plans:approve", args=[plan.pk]),
        {
            "decision_number": "4855/QĐ-BCT",
            "decision_date": f"{plan.year}-01-02",
            "expected_version": plan.version,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_adjusting_the_ceiling_is_checked_against_what_projects_hold(client):
    plan = make_plan(ceiling=500_000_000)
    project = make_project(plan, budget=400_000_000)
    walk(project, Status.APPROVED)
    login(client, Role.DEPARTMENT_LEADER)
    url = reverse("plans:add_version", args=[plan.pk])
    page = client.get(url)
    assert page.context["figures"].allocated == 400_000_000
    data = {
        "kind": "adjustment",
        "ceiling": "300.000.000",
        "decision_number": "99/QĐ-UBND",
        "decision_date": f"{plan.year}-07-01",
        "reason": "Điều chỉnh giảm",
        "expected_version": plan.version,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    [message] = response.context["form"].errors["ceiling"]
    assert "400.000.000 đ" in message
    assert plan.versions.count() == 1
    response = client.post(url, {**data, "kind": "supplement", "ceiling": "650.000.000"})
    assert response.status_code == 302
    detail = client.get(reverse("plans:detail", args=[plan.pk]), {"as_of": f"{plan.year}-06-30"})
    assert detail.context["figures"].ceiling == 500_000_000
    later = client.get(reverse("plans:detail", args=[plan.pk]), {"as_of": f"{plan.year}-07-01"})
    assert (later.context["figures"].ceiling, later.context["figures"].free) == (
        650_000_000,
        250_000_000,
    )
    assert 'data-figure="free">250.000.000 đ' in later.content.decode()


def test_editing_a_plan_refuses_a_stale_form(client):
    plan = make_plan()
    login(client, Role.CENTRE_STAFF)
    url = reverse("plans:edit", args=[plan.pk])
    data = {
        "title": "Tên mới",
        "approving_authority": "",
        "notes": "",
        "expected_version": plan.version,
    }
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "title": "Tên khác"})
    assert stale.status_code == 200 and "Người khác đã ghi nhận" in stale.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Tên mới"


def test_plan_pages_are_scoped(client):
    from khuyencong.places.models import AdminUnit

    plan = make_plan()
    elsewhere = AdminUnit.objects.provinces().filter(era="legacy").exclude(pk=plan.province_id)
    login(client, Role.DEPARTMENT_LEADER, province=elsewhere.first())
    for name in ("detail", "edit", "approve", "add_version"):
        assert client.get(reverse(f"plans:{name}", args=[plan.pk])).status_code == 404
    assert client.post(reverse("plans:submit", args=[plan.pk])).status_code == 404
