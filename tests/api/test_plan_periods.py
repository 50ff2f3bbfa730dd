"""Issue 19 through /api/v1/: plans for a period and supplementary plans, each decision with
its issuer, national allocation batches (GET, POST with Idempotency-Key); the refusals are the
services' Vietnamese texts, the same the plan forms show (tests/plans/test_periods_and_
allocations.py)."""

from __future__ import annotations

import pytest

from khuyencong.accounts.models import Role
from khuyencong.plans.models import Allocation, Plan
from khuyencong.projects import plan_services
from khuyencong.projects.services import SYSTEM
from tests.api.conftest import ApiClient, token_for
from tests.plans.test_periods_and_allocations import (
    BATCH_TWICE,
    NEGATIVE,
    NOT_NATIONAL,
    PERIOD_TOO_LONG,
    second_main,
    thai_nguyen,
)
from tests.projects import factories as pf

pytestmark = pytest.mark.django_db
M = 1_000_000


def messages(response) -> list[str]:
    return [item["msg"] for item in response.json()["detail"]]


def new_plan(province, **extra) -> dict:
    return {
        "province_id": province.pk,
        "year": 2022,
        "end_year": 2024,
        "funding_source": "local",
        "title": "Kế hoạch khuyến công địa phương giai đoạn 2022 – 2024",
        "ceiling": 4_500 * M,
        "approving_authority": "UBND tỉnh Thái Nguyên",
        **extra,
    }


def test_a_plan_for_a_period_and_a_supplementary_plan():
    province = thai_nguyen()
    api = ApiClient(token_for(pf.user(Role.DEPARTMENT_LEADER, province=province)))

    too_long = api.post("/plans", new_plan(province, end_year=2032))
    assert too_long.status_code == 400 and messages(too_long) == [PERIOD_TOO_LONG]

    created = api.post("/plans", new_plan(province))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["year"], body["end_year"], body["kind"]) == (2022, 2024, "main")
    assert body["versions"][0]["issuer"] == "UBND tỉnh Thái Nguyên"
    assert body["allocations"] == []

    again = api.post("/plans", new_plan(province, title="Kế hoạch thứ hai"))
    assert again.status_code == 400
    assert messages(again) == [second_main(province.name, 2022)]
    extra = api.post(
        "/plans",
        new_plan(province, end_year=None, kind="supplementary", title="Bổ sung 2022"),
    )
    assert extra.status_code == 201
    assert (extra.json()["end_year"], extra.json()["kind"]) == (2022, "supplementary")

    longer = api.patch(
        f"/plans/{extra.json()['id']}", {"version": extra.json()["version"], "end_year": 2023}
    )
    assert longer.status_code == 200 and longer.json()["end_year"] == 2023

    plan = Plan.objects.get(pk=body["id"])
    plan_services.submit_plan(plan=plan, actor=SYSTEM)
    plan_services.approve_plan(
        plan=plan,
        actor=SYSTEM,
        decision_number="3127/QĐ-UBND",
        decision_date=pf.D(2021, 12, 24),
    )
    plan.refresh_from_db()
    version = api.post(
        f"/plans/{plan.pk}/versions",
        {
            "version": plan.version,
            "kind": "supplement",
            "ceiling": 5_100 * M,
            "decision_number": "1450/QĐ-UBND",
            "decision_date": "2023-07-14",
            "issuer": "Chủ tịch UBND tỉnh Thái Nguyên",
            "reason": "Bổ sung kinh phí năm 2023",
        },
    )
    assert version.status_code == 201, version.json()
    rows = [
        (v["number"], v["kind"], v["decision_number"], v["decision_date"], v["issuer"])
        for v in version.json()["versions"]
    ]
    assert rows == [
        (1, "original", "3127/QĐ-UBND", "2021-12-24", "UBND tỉnh Thái Nguyên"),
        (2, "supplement", "1450/QĐ-UBND", "2023-07-14", "Chủ tịch UBND tỉnh Thái Nguyên"),
    ]
    fixed = api.patch(f"/plans/{plan.pk}", {"version": plan.version + 1, "end_year": 2025})
    assert fixed.status_code == 400
    assert messages(fixed) == [
        "Thời kỳ và loại của kế hoạch đã phê duyệt là theo quyết định phê duyệt: hãy ghi nhận "
        "quyết định điều chỉnh hoặc một kế hoạch bổ sung."
    ]
    in_2023 = api.get("/plans", year=2023, province=province.pk).json()["results"]
    assert sorted((p["id"], p["end_year"]) for p in in_2023) == sorted(
        [(plan.pk, 2024), (extra.json()["id"], 2023)]
    )
    supplementary = api.get("/plans", year=2022, kind="supplementary").json()["results"]
    assert [p["id"] for p in supplementary] == [extra.json()["id"]]


def batch(**extra) -> dict:
    return {
        "batch": 1,
        "document_kind": "letter",
        "document_number": "412/CCT-KCXTTM",
        "document_date": "2023-03-20",
        "issuer": "Cục Công Thương địa phương",
        "amount": 900 * M,
        **extra,
    }


def test_a_national_plan_with_two_batches():
    plan = pf.make_plan(source_code="national", ceiling=1_500 * M, year=2023)
    api = ApiClient(token_for(pf.user(Role.NATIONAL_AGENCY)))
    url = f"/plans/{plan.pk}/allocations"
    headers = {"HTTP_IDEMPOTENCY_KEY": "batch-1"}

    first = api.client.post(
        f"/api/v1{url}", batch(), content_type="application/json", headers=api.headers, **headers
    )
    assert first.status_code == 201, first.json()
    retry = api.client.post(
        f"/api/v1{url}", batch(), content_type="application/json", headers=api.headers, **headers
    )
    assert retry.status_code == 201 and retry.json() == first.json()
    assert Allocation.objects.filter(plan=plan).count() == 1  # the retry wrote nothing

    twice = api.post(url, batch(document_number="413/CCT-KCXTTM"))
    assert twice.status_code == 400 and messages(twice) == [BATCH_TWICE]
    negative = api.post(url, batch(batch=2, amount=-5 * M))
    assert negative.status_code == 400 and messages(negative) == [NEGATIVE]
    second = api.post(
        url,
        batch(
            batch=2,
            document_kind="decision",
            document_number="1023/QĐ-BCT",
            document_date="2023-08-02",
            issuer="Bộ Công Thương",
            amount=600 * M,
        ),
    )
    assert second.status_code == 201
    one, two = Allocation.objects.filter(plan=plan).order_by("batch")
    for budget in (300 * M, 250 * M):
        pf.make_project(plan, budget=budget, allocation=one, registered_on=pf.D(2023, 3, 25))
    pf.make_project(plan, budget=400 * M, allocation=two, registered_on=pf.D(2023, 8, 5))

    listed = api.get(url).json()
    assert [(a["batch"], a["amount"], a["project_count"], a["project_money"]) for a in listed] == [
        (1, 900 * M, 2, 550 * M),
        (2, 600 * M, 1, 400 * M),
    ]
    assert listed[1]["document_kind"] == "decision" and listed[1]["issuer"] == "Bộ Công Thương"
    assert api.get(f"/plans/{plan.pk}").json()["allocations"] == listed

    leader = ApiClient(token_for(pf.user(Role.DEPARTMENT_LEADER)))
    assert leader.post(url, batch(batch=3)).status_code == 403


def test_a_local_plan_takes_no_batch():
    plan = pf.make_plan(source_code="local", year=2023)
    api = ApiClient(token_for(pf.user(Role.DEPARTMENT_LEADER)))
    response = api.post(f"/plans/{plan.pk}/allocations", batch())
    assert response.status_code == 400 and messages(response) == [NOT_NATIONAL]
    assert not Allocation.objects.filter(plan=plan).exists()
