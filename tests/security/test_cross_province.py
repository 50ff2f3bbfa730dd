"""Issue 18, item 8: a project or registration of province A cannot name province B's
organisation (or beneficiary, plan) by id, through the API or an import, any more than through
the web form. One check (``projects.references``) in the services: the API answers 422 with
the Vietnamese message and nothing changes."""

from __future__ import annotations

import pytest
from django.utils import translation

from khuyencong.accounts.models import Role
from khuyencong.projects import services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import Project
from khuyencong.registrations import services as registration_services
from khuyencong.registrations.models import Registration
from khuyencong.spreadsheets.pipeline import run
from khuyencong.spreadsheets.pipeline_projects import ProjectImporter
from tests.api.conftest import ApiClient, token_for
from tests.beneficiaries.factories import BeneficiaryFactory, CommuneFactory, DistrictFactory
from tests.factories import UserFactory
from tests.projects import factories as pf
from tests.registrations import factories as rf
from tests.security.two_provinces import (
    Side,
    TwoProvinces,
    project_in,
    project_sheet,
    two_provinces,
)

pytestmark = pytest.mark.django_db

IMPLEMENTING_UNIT = "Hãy chọn đơn vị thực hiện thuộc phạm vi phụ trách của bạn."
CENTRE = "Hãy chọn trung tâm khuyến công thuộc phạm vi phụ trách của bạn."


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def world() -> TwoProvinces:
    return two_provinces()


def refusal(response) -> dict:
    [item] = response.json()["detail"]
    return item


# --------------------------------------------------------------------------- projects


def test_api_patch_of_a_project_with_another_provinces_unit_is_422_and_changes_nothing(world):
    project = project_in(world.a, code="DT-2020-11")
    api = ApiClient(token_for(world.a.leader))
    body = {"version": project.version, "implementing_unit_id": world.b.centre.pk}
    response = api.patch(f"/projects/{project.pk}", body)
    assert response.status_code == 422
    assert refusal(response) == {
        "loc": ["body", "implementing_unit_id"],
        "msg": IMPLEMENTING_UNIT,
        "type": "out_of_area",
    }
    before = project.version
    project.refresh_from_db()
    assert (project.implementing_unit_id, project.version) == (world.a.centre.pk, before)


def test_api_patch_with_the_users_own_unit_still_works(world):
    project = project_in(world.a, code="DT-2020-12")
    other = pf.OrganisationFactory(name="Phòng Kinh tế Na Thử", province=world.a.province)
    api = ApiClient(token_for(world.a.leader))
    body = {"version": project.version, "implementing_unit_id": other.pk}
    response = api.patch(f"/projects/{project.pk}", body)
    assert response.status_code == 200, response.content
    assert response.json()["implementing_unit_id"] == other.pk


def test_api_post_of_a_project_with_another_provinces_unit_is_422(world):
    api = ApiClient(token_for(world.a.leader))
    body = {
        "code": "DT-2021-01",
        "title": "Hỗ trợ máy đan mây",
        "content_area": "machinery",
        "implementing_unit_id": world.b.centre.pk,
        "place_id": world.a.commune.pk,
        "registered_on": "2021-01-02",
    }
    response = api.post("/projects", body)
    assert response.status_code == 422
    assert refusal(response)["msg"] == IMPLEMENTING_UNIT
    assert not Project.objects.filter(code="DT-2021-01").exists()


def test_the_service_refuses_another_provinces_references_whoever_calls_it(world):
    """The form offers only the user's choices; the service, which every path calls, holds
    the same rule (web form, API, admin scripts)."""
    project = project_in(world.a, code="DT-2020-13")
    cases = {"implementing_unit": world.b.centre, "beneficiary": world.b.establishment}
    for field, value in cases.items():
        with pytest.raises(Refused) as refused:
            services.update_project(
                project=project, actor=world.a.leader, expected_version=1, **{field: value}
            )
        assert (refused.value.code, getattr(refused.value, "field", None)) == ("out_of_area", field)
    project.refresh_from_db()
    assert (project.version, project.beneficiary_id) == (1, None)


def test_an_edit_keeps_a_reference_it_does_not_change(world):
    """A project whose unit is (no longer) among the user's choices stays editable."""
    project = project_in(world.a, code="DT-2020-14")
    Project.objects.filter(pk=project.pk).update(implementing_unit=world.b.centre)
    project.refresh_from_db()
    services.update_project(
        project=project,
        actor=world.a.leader,
        expected_version=project.version,
        title="Hỗ trợ máy đan mây (điều chỉnh tên)",
        implementing_unit=world.b.centre,
    )
    project.refresh_from_db()
    assert project.title == "Hỗ trợ máy đan mây (điều chỉnh tên)"


def test_project_import_refuses_another_provinces_unit(world):
    sheet = project_sheet(world.a, "DT-2021-02", world.b.centre.name)
    report = run(ProjectImporter(world.a.leader), sheet, commit=True)
    assert [(p["column"], p["message"]) for p in report.errors] == [
        ("Đơn vị thực hiện", IMPLEMENTING_UNIT)
    ]
    assert not Project.objects.filter(code="DT-2021-02").exists()


def test_project_import_accepts_the_users_own_unit(world):
    report = run(
        ProjectImporter(world.a.leader),
        project_sheet(world.a, "DT-2021-03", world.a.centre.name),
        commit=True,
    )
    assert report.errors == [] and report.created == 1


# --------------------------------------------------------------------------- registrations


def registration_in(side: Side) -> Registration:
    return rf.registration(
        actor=side.leader,
        beneficiary=side.establishment,
        implementing_unit=side.centre,
        place=side.commune,
    )


def test_api_patch_of_a_registration_with_another_provinces_unit_is_422(world):
    registration = registration_in(world.a)
    api = ApiClient(token_for(world.a.leader))
    body = {"version": registration.version, "implementing_unit_id": world.b.centre.pk}
    response = api.patch(f"/registrations/{registration.pk}", body)
    assert response.status_code == 422
    assert refusal(response) == {
        "loc": ["body", "implementing_unit_id"],
        "msg": CENTRE,
        "type": "out_of_area",
    }
    before = registration.version
    registration.refresh_from_db()
    assert (registration.implementing_unit_id, registration.version) == (world.a.centre.pk, before)


def test_api_post_of_a_registration_with_another_provinces_unit_is_422(world):
    api = ApiClient(token_for(world.a.leader))
    body = {
        "target_year": 2019,
        "funding_source": "local",
        "content_area": "machinery",
        "title": "Hỗ trợ máy đan mây",
        "beneficiary_id": world.a.establishment.pk,
        "implementing_unit_id": world.b.centre.pk,
        "place_id": world.a.commune.pk,
        "registered_on": "2018-05-15",
        "total_investment": 200_000_000,
        "requested_local": 80_000_000,
        "counterpart": 120_000_000,
        "machinery_new": True,
    }
    response = api.post("/registrations", body)
    assert response.status_code == 422
    assert refusal(response)["msg"] == CENTRE
    assert not Registration.objects.filter(title="Hỗ trợ máy đan mây").exists()


def test_the_registration_service_refuses_a_beneficiary_outside_a_district_officers_area(world):
    """Another district's establishment (same province: the place rule lets it through)."""
    registration = registration_in(world.a)
    officer = UserFactory(
        role=Role.DISTRICT_OFFICER, province=world.a.province, district=world.a.commune.parent
    )
    elsewhere = CommuneFactory(parent=DistrictFactory(parent=world.a.province))
    theirs = BeneficiaryFactory(name="HTX Huyện bên", commune=elsewhere)
    with pytest.raises(Refused) as refused:
        registration_services.update_registration(
            registration=registration,
            actor=officer,
            expected_version=registration.version,
            beneficiary=theirs,
        )
    assert (refused.value.code, getattr(refused.value, "field", None)) == (
        "out_of_area",
        "beneficiary",
    )
    registration.refresh_from_db()
    assert registration.beneficiary_id == world.a.establishment.pk


def test_a_registration_edit_keeps_a_unit_it_does_not_change(world):
    registration = registration_in(world.a)
    Registration.objects.filter(pk=registration.pk).update(implementing_unit=world.b.centre)
    registration.refresh_from_db()
    registration_services.update_registration(
        registration=registration,
        actor=world.a.leader,
        expected_version=registration.version,
        title="Hỗ trợ máy đan mây (điều chỉnh)",
    )
    registration.refresh_from_db()
    assert registration.title == "Hỗ trợ máy đan mây (điều chỉnh)"
