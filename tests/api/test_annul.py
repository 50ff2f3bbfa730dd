"""The annul endpoints (issue 20): the same service as the form; refusals in Vietnamese,
permission 403, another province's project 404, a stale version 409."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.projects import services
from khuyencong.projects.models import Annulment, DisbursementKind, EventKind, Status
from khuyencong.projects.services import SYSTEM
from tests.projects import factories as pf

from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(project):
    day = pf.walk(project, Status.ACCEPTED)
    services.record_progress(
        project=project,
        actor=SYSTEM,
        date=day,
        progress_percent=100,
        disbursed_amount=25_000_000,
        disbursement_kind=DisbursementKind.PAYMENT,
    )
    pf.step(project, EventKind.SETTLE, day + datetime.timedelta(days=1))
    project.refresh_from_db()
    return project


def test_annul_the_settlement_then_the_acceptance(api, settled):
    project = settled
    acceptance = project.events.get(kind=EventKind.ACCEPT)
    url = f"/projects/{project.pk}/events/{acceptance.pk}/annul"
    refused = api.post(url, {"version": project.version, "reason": "Sai biên bản"})
    assert refused.status_code == 400
    assert "Hãy hủy hoặc sửa bản ghi đó trước." in refused.json()["detail"][0]["msg"]
    assert not Annulment.objects.exists()

    settlement = project.events.get(kind=EventKind.SETTLE)
    done = api.post(
        f"/projects/{project.pk}/events/{settlement.pk}/annul",
        {"version": project.version, "reason": "Quyết toán nhầm"},
    )
    assert done.status_code == 200, done.content
    assert done.json()["project"]["status"] == "accepted"
    assert done.json()["reason"] == "Quyết toán nhầm"
    events = api.get(f"/projects/{project.pk}/events").json()
    assert [e["annulled"] for e in events if e["kind"] == "settle"] == [True]
    stale = api.post(url, {"version": project.version, "reason": "Sai"})
    assert stale.status_code == 409


def test_annul_a_payment(api, settled):
    project = settled
    services.annul_event(
        project=project, event=project.events.get(kind=EventKind.SETTLE), actor=SYSTEM, reason="x"
    )
    payment = project.progress_updates.get(disbursed_amount=25_000_000)
    response = api.post(
        f"/projects/{project.pk}/progress/{payment.pk}/annul",
        {"version": project.version, "reason": "Chi trùng"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["project"]["state"]["disbursed"] == 0
    rows = api.get(f"/projects/{project.pk}/progress").json()
    assert [r["annulled"] for r in rows if r["id"] == payment.pk] == [True]


def test_no_permission_is_403_and_no_scope_is_404(staff_api, settled):
    project = settled
    payment = project.progress_updates.get(disbursed_amount=25_000_000)
    url = f"/projects/{project.pk}/progress/{payment.pk}/annul"
    body = {"version": project.version, "reason": "Chi trùng"}
    assert staff_api.post(url, body).status_code == 403
    elsewhere = pf.user(
        Role.DEPARTMENT_LEADER,
        province=pf.units()["06"]
        .__class__.objects.filter(level="province", era="legacy")
        .exclude(pk=project.province_id)
        .first(),
    )
    assert ApiClient(token_for(elsewhere)).post(url, body).status_code == 404
    missing = f"/projects/{project.pk}/progress/999999/annul"
    leader = pf.user(Role.DEPARTMENT_LEADER)
    assert ApiClient(token_for(leader)).post(missing, body).status_code == 404
    empty = ApiClient(token_for(leader)).post(url, {"version": project.version, "reason": " "})
    assert empty.status_code == 400
    assert not Annulment.objects.exists()
