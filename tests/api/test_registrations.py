"""Registrations through the API: scope, creation with the service's rules, steps as events."""

from __future__ import annotations

from khuyencong.accounts.models import Role
from khuyencong.registrations.models import Status
from tests.api.conftest import ApiClient, token_for
from tests.registrations import factories as rf


def client_for(role: str) -> ApiClient:
    return ApiClient(token_for(rf.user(role)))


def test_create_submit_and_decide(db):
    staff = client_for(Role.CENTRE_STAFF)
    who = rf.beneficiary()
    body = {
        "target_year": 2019,
        "funding_source": "local",
        "content_area": "machinery",
        "title": "Hỗ trợ máy tiện",
        "beneficiary_id": who.pk,
        "implementing_unit_id": rf.centre().pk,
        "place_id": who.commune_id,
        "registered_on": "2018-05-15",
        "planned_start": "2019-03-01",
        "planned_end": "2019-11-30",
        "total_investment": 200_000_000,
        "requested_local": 80_000_000,
        "counterpart": 120_000_000,
        "machinery_new": True,
        "workforce": 12,
        "product": "Phụ tùng",
        "description": "Mua máy tiện mới.",
    }
    created = staff.post("/registrations", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == Status.DRAFT and data["code"].startswith("DK-06-2019-")
    step = staff.post(
        f"/registrations/{data['id']}/events",
        {"version": data["version"], "kind": "submit", "on": "2018-05-20"},
    )
    assert step.status_code == 201, step.content
    submitted = step.json()
    assert submitted["registration"]["status"] == Status.SUBMITTED
    assert submitted["screening_outcome"] in {"pass", "needs_review", "fail"}
    # the centre may not decide for the council
    decide = {
        "version": submitted["registration"]["version"],
        "kind": "accept",
        "decision_number": "15/QĐ-HĐ",
        "decision_date": "2018-06-30",
    }
    assert staff.post(f"/registrations/{data['id']}/events", decide).status_code == 403


def test_input_problems_are_reported_per_field(db):
    staff = client_for(Role.CENTRE_STAFF)
    who = rf.beneficiary()
    body = {
        "target_year": 2019,
        "funding_source": "local",
        "content_area": "machinery",
        "title": "",
        "beneficiary_id": who.pk,
        "place_id": who.commune_id,
        "registered_on": "2018-05-15",
        "planned_start": "2019-11-30",
        "planned_end": "2019-03-01",
    }
    response = staff.post("/registrations", body)
    assert response.status_code == 400
    fields = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert ("body", "title") in fields or ("body", "planned_end") in fields


def test_list_is_scoped_and_edits_check_the_version(db):
    mine = rf.registration()
    elsewhere_unit = rf.other_province()
    from khuyencong.places.models import AdminUnit

    commune = AdminUnit.objects.filter(province=elsewhere_unit, level="commune").first()
    theirs = rf.registration(beneficiary=rf.beneficiary(place=commune), implementing_unit=None)
    staff = client_for(Role.CENTRE_STAFF)
    codes = {row["code"] for row in staff.get("/registrations").json()["results"]}
    assert mine.code in codes and theirs.code not in codes
    assert staff.get(f"/registrations/{theirs.pk}").status_code == 404
    ok = staff.patch(f"/registrations/{mine.pk}", {"version": mine.version, "workforce": 20})
    assert ok.status_code == 200, ok.content
    assert ok.json()["workforce"] == 20
    stale = staff.patch(f"/registrations/{mine.pk}", {"version": mine.version, "workforce": 5})
    assert stale.status_code == 409
