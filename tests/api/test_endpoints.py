"""The API calls the same services as the UI: scope, permissions, versions, lifecycle."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from khuyencong.accounts.models import Role
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.projects.models import ProgressUpdate, Status
from tests.api.conftest import ApiClient, token_for
from tests.projects import factories as pf

D = datetime.date


def test_unauthenticated_calls_get_401(db):
    response = ApiClient(None).get("/beneficiaries")
    assert response.status_code == 401
    assert response.json()["detail"][0]["loc"] == ["header"]


def test_catalogs_and_units_are_readable(api, units):
    kinds = api.get("/catalogs/beneficiary-kinds").json()
    assert {"sme", "cooperative", "household"} <= {row["code"] for row in kinds}
    page = api.get("/places/units", q="cuong loi", level="commune", era="legacy").json()
    assert page["count"] >= 1
    assert page["results"][0]["name"] == "Xã Cường Lợi"
    unit = api.get(f"/places/units/{units['02152'].pk}").json()
    assert unit["full_path"].endswith("Tỉnh Bắc Kạn")


def test_beneficiary_list_is_scoped_and_filtered(api, beneficiary, units, db):
    from tests.beneficiaries.factories import CommuneFactory

    elsewhere = Beneficiary.objects.create(
        kind=beneficiary.kind, name="Cơ sở tỉnh khác", commune=CommuneFactory()
    )
    page = api.get("/beneficiaries").json()
    ids = {row["id"] for row in page["results"]}
    assert beneficiary.pk in ids and elsewhere.pk not in ids
    assert api.get(f"/beneficiaries/{elsewhere.pk}").status_code == 404
    found = api.get("/beneficiaries", q="thanh ngan").json()
    assert [row["id"] for row in found["results"]] == [beneficiary.pk]
    none = api.get("/beneficiaries", q="khong co").json()
    assert none["count"] == 0


def test_create_beneficiary_validates_the_tax_code_in_vietnamese(api, units):
    body = {"kind": "sme", "name": "Công ty ABC", "tax_code": "4700123453", "commune_id": 0}
    assert api.post("/beneficiaries", body).status_code == 400  # commune_id below 1
    body["commune_id"] = units["02152"].pk
    response = api.post("/beneficiaries", body)
    assert response.status_code == 400
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "tax_code"]
    assert error["type"] == "check_digit"
    assert "mã số thuế" in error["msg"].lower()
    body["tax_code"] = "4700123452"
    created = api.post("/beneficiaries", body)
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["province_id"] == units["06"].pk
    assert row["version"] == 1


def test_possible_duplicates_need_confirmation(api, beneficiary, units):
    body = {"kind": "household", "name": "htx thanh ngan", "commune_id": units["02152"].pk}
    body["tax_code"] = ""
    response = api.post("/beneficiaries", body)
    assert response.status_code == 400
    types = {item["type"] for item in response.json()["detail"]}
    assert "possible_duplicate" in types
    body["confirm_duplicates"] = True
    assert api.post("/beneficiaries", body).status_code == 201


def test_patch_checks_the_version(api, beneficiary):
    first = api.patch(f"/beneficiaries/{beneficiary.pk}", {"version": 1, "phone": "0209 123"})
    assert first.status_code == 200, first.content
    assert first.json()["phone"] == "0209 123"
    assert first.json()["version"] == 2
    stale = api.patch(f"/beneficiaries/{beneficiary.pk}", {"version": 1, "phone": "0"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert stale.json()["detail"][0]["type"] == "version_conflict"
    beneficiary.refresh_from_db()
    assert beneficiary.phone == "0209 123"


def test_archive_and_restore(api, beneficiary):
    archived = api.post(f"/beneficiaries/{beneficiary.pk}/archive", {"version": 1})
    assert archived.json()["archived"] is True
    assert api.get("/beneficiaries").json()["count"] == 0
    assert api.get("/beneficiaries", archived="yes").json()["count"] == 1
    restored = api.post(f"/beneficiaries/{beneficiary.pk}/restore", {"version": 2})
    assert restored.json()["archived"] is False


def test_a_role_without_the_permission_gets_403(db, beneficiary):
    jury = ApiClient(token_for(pf.user(Role.JURY_MEMBER)))
    response = jury.get("/beneficiaries")
    assert response.status_code == 403
    assert response.json()["detail"][0]["type"] == "permission"


def test_transition_is_a_posted_event_and_status_is_read_only(api, project):
    patched = api.patch(f"/projects/{project.pk}", {"version": project.version, "status": "x"})
    assert patched.status_code == 200  # unknown fields are ignored: status is not editable
    project.refresh_from_db()
    assert project.status == Status.REGISTERED
    body = {"version": project.version, "kind": "appraise", "effective_date": "2018-01-05"}
    response = api.post(f"/projects/{project.pk}/events", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["event"]["to_status"] == "appraised"
    assert data["project"]["status"] == "appraised"
    # the same (now stale) version is refused
    again = api.post(f"/projects/{project.pk}/events", body)
    assert again.status_code == 409


def test_a_refused_step_says_why_in_vietnamese(api, project):
    body = {"version": project.version, "kind": "accept", "effective_date": "2018-01-05"}
    response = api.post(f"/projects/{project.pk}/events", body)
    assert response.status_code == 400
    error = response.json()["detail"][0]
    assert error["type"] == "illegal"
    assert "không thể" in error["msg"].lower() or "không" in error["msg"].lower()


def test_permission_of_a_step_is_403(staff_api, project):
    body = {"version": project.version, "kind": "appraise", "effective_date": "2018-01-05"}
    response = staff_api.post(f"/projects/{project.pk}/events", body)
    assert response.status_code == 403


def test_progress_and_as_of_state(api, staff_api, project):
    pf.walk(project, Status.CONTRACTED, D(2018, 1, 10))
    project.refresh_from_db()
    body = {"version": project.version, "date": "2018-03-01", "progress_percent": 40}
    response = staff_api.post(f"/projects/{project.pk}/progress", body)
    assert response.status_code == 201, response.content
    assert response.json()["project"]["state"]["progress_percent"] == 40
    assert ProgressUpdate.objects.filter(project=project).count() == 1
    before = api.get(f"/projects/{project.pk}", as_of="2018-02-01").json()
    assert before["state"]["status"] == "contracted"
    assert before["state"]["progress_percent"] == 0
    listed = api.get("/projects", status="in_progress").json()
    assert [row["code"] for row in listed["results"]] == [project.code]
    assert api.get("/projects", status="in_progress", as_of="2018-02-01").json()["count"] == 0


def test_create_project_and_plan_figures(api, plan, units):
    from khuyencong.accounts.models import Organisation

    centre = Organisation.objects.filter(kind="centre").first() or pf.OrganisationFactory()
    body = {
        "code": "API-1",
        "title": "Hỗ trợ máy sấy",
        "content_area": "machinery",
        "implementing_unit_id": centre.pk,
        "place_id": units["02152"].pk,
        "registered_on": "2018-01-03",
        "plan_id": plan.pk,
        "budget": {"local": 200_000_000},
    }
    response = api.post("/projects", body)
    assert response.status_code == 201, response.content
    assert response.json()["budget"]["local"] == 200_000_000
    clash = api.post("/projects", body)
    assert clash.status_code == 400
    assert clash.json()["detail"][0]["type"] == "code"
    plan_data = api.get(f"/plans/{plan.pk}").json()
    assert plan_data["figures"]["ceiling"] == 900_000_000
    assert plan_data["figures"]["project_count"] == 1
    report = api.get("/reports/figures", year=2018).json()
    assert report["plans"][0]["plan_id"] == plan.pk
    assert {p["phase"]: p["count"] for p in report["phases"]}["proposed"] == 1


def test_pagination_and_ordering(api, plan):
    for n in range(3):
        pf.make_project(plan, code=f"P-{n}", budget=10_000_000 * (n + 1))
    page = api.get("/projects", page_size=2, ordering="-budget").json()
    assert page["count"] == 3
    assert [row["code"] for row in page["results"]] == ["P-2", "P-1"]
    second = api.get("/projects", page_size=2, page=2, ordering="-budget").json()
    assert [row["code"] for row in second["results"]] == ["P-0"]
    bad = api.get("/projects", ordering="nonsense")
    assert bad.status_code == 400
    assert bad.json()["detail"][0]["loc"] == ["query", "ordering"]


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(leader, beneficiary):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/me").status_code == 200
    response = client.post(
        f"/api/v1/beneficiaries/{beneficiary.pk}/archive",
        {"version": 1},
        content_type="application/json",
    )
    assert response.status_code == 403
    beneficiary.refresh_from_db()
    assert not beneficiary.is_archived
