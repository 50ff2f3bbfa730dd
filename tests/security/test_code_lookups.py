"""Issue 18, item 6: typing another province's tax code (or project code) must not look its
holder up. Outside the user's scope the answer says only that the code is registered
elsewhere (no name, no place, no link, no id); inside it, the helpful answer stays.

Form, API and import check each go through ``beneficiaries.duplicates.may_identify``."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.documents.xlsx_reader import read_sheet
from khuyencong.projects import services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import Project
from khuyencong.spreadsheets.pipeline import BeneficiaryImporter, run
from khuyencong.spreadsheets.pipeline_projects import ProjectImporter
from tests.api.conftest import ApiClient, token_for
from tests.beneficiaries.factories import BeneficiaryFactory, valid_tax_code
from tests.beneficiaries.helpers import form_data
from tests.imports.conftest import make_xlsx
from tests.projects import factories as pf
from tests.security.two_provinces import (
    D,
    Side,
    TwoProvinces,
    project_in,
    project_sheet,
    two_provinces,
)

pytestmark = pytest.mark.django_db

ELSEWHERE = "ngoài phạm vi phụ trách của bạn"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def world() -> TwoProvinces:
    return two_provinces()


def tells_nothing_about(text: str, holder: Beneficiary) -> None:
    """Neither the holder's name, nor its commune, nor a link or id."""
    assert holder.name not in text
    assert holder.commune.name not in text
    assert reverse("beneficiaries:detail", args=[holder.pk]) not in text
    assert f"#{holder.pk}" not in text


# --------------------------------------------------------------------------- web form


def test_form_refuses_another_provinces_tax_code_without_naming_its_holder(client, world):
    holder = world.b.establishment
    client.force_login(world.a.leader)
    data = form_data(world.a.commune, name="HTX Mới", tax_code=holder.tax_code)
    response = client.post(reverse("beneficiaries:create"), data)
    assert response.status_code == 200
    assert Beneficiary.objects.filter(name="HTX Mới").count() == 0
    [message] = response.context["form"].errors["tax_code"]
    assert holder.tax_code in message and ELSEWHERE in message
    tells_nothing_about(response.content.decode(), holder)


def test_form_names_and_links_a_holder_in_the_users_own_province(client, world):
    holder = world.a.establishment
    client.force_login(world.a.leader)
    data = form_data(world.a.commune, name="HTX Mới", tax_code=holder.tax_code)
    response = client.post(reverse("beneficiaries:create"), data)
    page = response.content.decode()
    assert holder.name in response.context["form"].errors["tax_code"][0]
    assert reverse("beneficiaries:detail", args=[holder.pk]) in page


def test_form_warns_of_an_archived_holder_elsewhere_without_naming_it(client, world):
    holder = world.b.establishment
    holder.archive()
    client.force_login(world.a.leader)
    data = form_data(world.a.commune, name="HTX Mới", tax_code=holder.tax_code)
    response = client.post(reverse("beneficiaries:create"), data)
    assert response.status_code == 200  # a possible duplicate: confirm first
    page = response.content.decode()
    assert ELSEWHERE in page
    tells_nothing_about(page, holder)
    data["confirm_duplicates"] = "on"
    assert client.post(reverse("beneficiaries:create"), data).status_code == 302


def test_restore_does_not_name_the_record_elsewhere_that_took_the_code(client, world):
    code = valid_tax_code(3, "46")
    mine = BeneficiaryFactory(name="HTX Cũ Quang Thử", commune=world.a.commune, tax_code=code)
    mine.archive()
    holder = BeneficiaryFactory(name="HTX Lấy mã Yên Thử", commune=world.b.commune, tax_code=code)
    client.force_login(world.a.leader)
    response = client.post(reverse("beneficiaries:restore", args=[mine.pk]), follow=True)
    page = response.content.decode()
    assert ELSEWHERE in page
    tells_nothing_about(page, holder)
    mine.refresh_from_db()
    assert mine.archived_at is not None


# --------------------------------------------------------------------------- API


def api_text(response) -> str:
    """The answer's JSON as text, Vietnamese unescaped (names would hide behind \\u escapes)."""
    return json.dumps(response.json(), ensure_ascii=False)


def api_body(side: Side, tax_code: str, **extra: object) -> dict[str, object]:
    return {
        "kind": "cooperative",
        "name": "HTX Mới",
        "tax_code": tax_code,
        "commune_id": side.commune.pk,
        **extra,
    }


def test_api_refuses_another_provinces_tax_code_without_naming_its_holder(world):
    holder = world.b.establishment
    api = ApiClient(token_for(world.a.leader))
    response = api.post("/beneficiaries", api_body(world.a, holder.tax_code))
    assert response.status_code == 400
    [error] = [e for e in response.json()["detail"] if e["loc"] == ["body", "tax_code"]]
    assert error["type"] == "taken" and ELSEWHERE in error["msg"]
    tells_nothing_about(api_text(response), holder)
    assert not Beneficiary.objects.filter(name="HTX Mới").exists()


def test_api_names_a_holder_in_the_users_own_province(world):
    holder = world.a.establishment
    api = ApiClient(token_for(world.a.leader))
    response = api.post("/beneficiaries", api_body(world.a, holder.tax_code))
    assert response.status_code == 400
    assert holder.name in api_text(response)


def test_api_possible_duplicate_elsewhere_is_not_named(world):
    holder = world.b.establishment
    holder.archive()
    api = ApiClient(token_for(world.a.leader))
    response = api.post("/beneficiaries", api_body(world.a, holder.tax_code))
    assert response.status_code == 400
    assert "possible_duplicate" in {e["type"] for e in response.json()["detail"]}
    tells_nothing_about(api_text(response), holder)
    confirmed = api_body(world.a, holder.tax_code, confirm_duplicates=True)
    assert api.post("/beneficiaries", confirmed).status_code == 201


def test_api_restore_does_not_name_the_record_elsewhere_that_took_the_code(world):
    code = valid_tax_code(4, "46")
    mine = BeneficiaryFactory(name="HTX Cũ Quang Thử", commune=world.a.commune, tax_code=code)
    mine.archive()
    holder = BeneficiaryFactory(name="HTX Lấy mã Yên Thử", commune=world.b.commune, tax_code=code)
    api = ApiClient(token_for(world.a.leader))
    response = api.post(f"/beneficiaries/{mine.pk}/restore", {"version": mine.version})
    assert response.status_code == 400
    assert ELSEWHERE in response.json()["detail"][0]["msg"]
    tells_nothing_about(api_text(response), holder)


# --------------------------------------------------------------------------- import check

BENEFICIARY_HEADERS = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Địa chỉ", "Mã xã"]


def beneficiary_sheet(side: Side, *tax_codes: str):
    rows = [
        [f"HTX Nhập {n}", "HTX", code, "thôn Bản Mới", side.commune.code]
        for n, code in enumerate(tax_codes, start=1)
    ]
    data = make_xlsx(BENEFICIARY_HEADERS, rows)
    return read_sheet(io.BytesIO(data), BeneficiaryImporter.columns)


def test_import_check_refuses_tax_codes_elsewhere_without_naming_their_holders(world):
    holder = world.b.establishment
    sheet = beneficiary_sheet(world.a, holder.tax_code)
    report = run(BeneficiaryImporter(world.a.leader), sheet)
    [problem] = report.problems
    assert problem["column"] == "Mã số thuế" and problem["level"] == "error"
    assert ELSEWHERE in problem["message"]
    tells_nothing_about(problem["message"], holder)


def test_import_check_names_holders_in_the_users_own_province(world):
    holder = world.a.establishment
    report = run(BeneficiaryImporter(world.a.leader), beneficiary_sheet(world.a, holder.tax_code))
    [problem] = report.problems
    assert holder.name in problem["message"]


def test_import_check_warns_of_archived_holders_elsewhere_without_naming_them(world):
    holder = world.b.establishment
    holder.archive()
    report = run(BeneficiaryImporter(world.a.leader), beneficiary_sheet(world.a, holder.tax_code))
    [problem] = report.problems
    assert problem["level"] == "warning" and ELSEWHERE in problem["message"]
    tells_nothing_about(problem["message"], holder)


# --------------------------------------------------------------------------- project codes


def test_a_project_code_elsewhere_is_only_said_to_be_taken(world):
    theirs = project_in(world.b, code="TT-2020-07", title="Dự án chè đặc sản Yên Thử")
    plan = pf.make_plan(source_code="local", year=2021, unit=world.a.province)
    with pytest.raises(Refused) as refused:
        services.create_project(
            actor=world.a.leader,
            code=theirs.code,
            title="Hỗ trợ máy đan mây",
            content_area=pf.content_area(),
            implementing_unit=world.a.centre,
            place=world.a.commune,
            registered_on=D(2021, 1, 2),
            plan=plan,
        )
    assert refused.value.code == "code"
    assert ELSEWHERE in refused.value.message and theirs.title not in refused.value.message
    assert not Project.objects.filter(title="Hỗ trợ máy đan mây").exists()


def test_a_project_code_in_the_users_province_keeps_todays_message(world):
    mine = project_in(world.a, code="DT-2020-01")
    with pytest.raises(Refused) as refused:
        services.update_project(
            project=project_in(world.a, code="DT-2020-02"),
            actor=world.a.leader,
            expected_version=1,
            code=mine.code,
        )
    assert refused.value.message == f"Đã có đề án khác mang mã {mine.code}."


def test_project_import_check_says_only_that_a_code_elsewhere_is_taken(world):
    theirs = project_in(world.b, code="TT-2020-08", title="Dự án chè đặc sản Yên Thử")
    sheet = project_sheet(world.a, theirs.code, world.a.centre.name)
    report = run(ProjectImporter(world.a.leader), sheet)
    [problem] = [p for p in report.problems if p["column"] == "Mã đề án"]
    assert ELSEWHERE in problem["message"] and theirs.title not in problem["message"]
