"""The one date rule through the API: steps, progress and participants are refused with the
services' Vietnamese message on the field it is about, and nothing is written. The land is an
invented province (Đông Nhóm, a 2024–2026 plan); "today" is fixed."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from khuyencong.accounts.models import Role
from khuyencong.projects import dates
from khuyencong.projects.models import GroupMember, Project, Status
from tests.projects import factories as pf
from tests.projects.group_shapes import approve, shape

from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def land(monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: D(2025, 6, 30))
    return shape("three_levels")


@pytest.fixture
def contracted(land):
    project = pf.make_project(
        land.plan, place=land.communes[0], registered_on=D(2024, 1, 2), budget=100_000_000
    )
    pf.walk(project, Status.CONTRACTED, D(2024, 1, 9))  # contracted on 13/01/2024
    return project


def refusal(response):
    assert response.status_code == 400, response.content
    [item] = response.json()["detail"]
    return item["loc"], item["type"], item["msg"]


def admin_api():
    return ApiClient(token_for(pf.user(Role.SYSTEM_ADMIN)))


def test_progress_dates_are_refused_on_the_date_field(contracted):
    api = admin_api()
    url = f"/projects/{contracted.pk}/progress"
    version = contracted.version
    body = {"version": version, "progress_percent": 30, "disbursed_amount": 1_000_000}
    loc, code, message = refusal(api.post(url, {**body, "date": "2031-03-05"}))
    assert (loc, code) == (["body", "date"], "date_within_plan_years")
    assert message == (
        "Ngày tạm ứng 05/03/2031 quá xa thời kỳ của kế hoạch 2024–2026 (cho phép từ 2023 đến 2027)."
    )
    loc, code, message = refusal(api.post(url, {**body, "date": "2025-07-08"}))
    assert code == "date_in_future" and message.startswith("Ngày tạm ứng 08/07/2025 ở tương lai")
    loc, code, message = refusal(api.post(url, {**body, "date": "2024-01-12"}))
    assert code == "date_in_order" and "13/01/2024" in message
    assert not contracted.progress_updates.exists()
    assert Project.objects.get(pk=contracted.pk).version == version
    assert api.post(url, {**body, "date": "2025-07-07"}).status_code == 201


def test_step_dates_are_refused_and_the_grace_moves_the_bound(contracted, monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: D(2029, 1, 1))
    api = admin_api()
    url = f"/projects/{contracted.pk}/events"
    body = {"version": contracted.version, "kind": "request_adjustment", "reason": "Lý do"}
    loc, code, message = refusal(api.post(url, {**body, "effective_date": "2028-02-01"}))
    assert (loc, code) == (["body", "effective_date"], "date_within_plan_years")
    assert message.startswith("Ngày hiệu lực 01/02/2028 quá xa thời kỳ của kế hoạch 2024–2026")
    loc, _code, message = refusal(
        api.post(url, {**body, "effective_date": "2027-02-01", "document_date": "2022-12-01"})
    )
    assert loc == ["body", "document_date"] and message.startswith("Ngày văn bản 01/12/2022")
    assert contracted.events.count() == 5
    with override_settings(DATE_GRACE_YEARS=2):
        response = api.post(url, {**body, "effective_date": "2028-02-01"})
    assert response.status_code == 201, response.content


def test_participant_dates_are_refused(land):
    project = pf.make_project(
        land.plan, kind="group", place=land.province, registered_on=D(2024, 1, 2), budget=10**8
    )
    approve(project, 2024)
    who = land.establishments[0]
    api = ApiClient(token_for(land.leader))
    body = {
        "version": Project.objects.get(pk=project.pk).version,
        "beneficiary_id": who.pk,
        "place_id": who.commune.pk,
        "support_amount": 1_000_000,
        "decision_number": "1/QĐ-SCT",
        "decision_date": "2025-08-01",
    }
    loc, code, message = refusal(api.post(f"/projects/{project.pk}/members", body))
    assert (loc, code) == (["body", "decision_date"], "date_in_future")
    assert message.startswith("Ngày quyết định 01/08/2025 ở tương lai")
    assert not GroupMember.objects.filter(project=project).exists()
