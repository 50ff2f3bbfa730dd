"""Issue 19 through the API: project kinds, group size and allocation batch in and out; a
group project's participants listed on a date, added and ended by the same services as the
pages, with the same Vietnamese refusals."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.projects.models import GroupMember, Project
from tests.projects import factories as pf
from tests.projects.group_shapes import approve, refusal, shape

from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(params=["three_levels", "two_levels"])
def land(request):
    return shape(request.param)


def project_body(land, **changes):
    body = {
        "code": f"API-{land.name}",
        "title": "Hỗ trợ máy móc cho các cơ sở dệt thổ cẩm",
        "content_area": "machinery",
        "implementing_unit_id": land.centre.pk,
        "place_id": land.province.pk,
        "registered_on": f"{land.year}-01-02",
        "plan_id": land.plan.pk,
        "kind": "group",
        "group_size": 3,
        "budget": {"local": 300_000_000, "counterpart": 100_000_000},
    }
    body.update(changes)
    return body


def member_body(project, who, place, day, amount=100_000_000, number="1"):
    return {
        "version": Project.objects.get(pk=project.pk).version,
        "beneficiary_id": who.pk,
        "place_id": place.pk,
        "support_amount": amount,
        "decision_number": f"{number}/QĐ-SCT",
        "decision_date": day.isoformat(),
    }


def refused(response):
    assert response.status_code == 400, response.content
    # a domain refusal's type is the service's code (the field it is about)
    return [(item["type"], item["msg"]) for item in response.json()["detail"]]


def test_group_project_lifecycle_through_the_api(land):
    api = ApiClient(token_for(land.leader))
    year = land.year
    created = api.post("/projects", project_body(land))
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["kind"], out["group_size"], out["beneficiary_id"], out["allocation_id"]) == (
        "group",
        3,
        None,
        None,
    )
    project = Project.objects.get(pk=out["id"])
    one, two, three, four = land.establishments
    members = f"/projects/{project.pk}/members"

    before = api.post(members, member_body(project, one, land.communes[0], D(year, 1, 5)))
    assert refused(before) == [("status", refusal("before_approval"))]

    approve(project, year)
    days = [D(year, 3, 1), D(year, 4, 1), D(year, 5, 1)]
    for number, (who, day) in enumerate(zip((one, two, three), days, strict=True), start=1):
        place = land.communes[number - 1]
        response = api.post(members, member_body(project, who, place, day, number=str(number)))
        assert response.status_code == 201, response.content
        assert response.json()["joined_on"] == day.isoformat()

    over = api.post(members, member_body(project, four, land.communes[0], D(year, 5, 2)))
    assert refused(over) == [("group_size", refusal("over_group_size", count=3))]

    member = GroupMember.objects.get(project=project, beneficiary=two)
    end = {
        "version": member.version,
        "left_on": f"{year}-06-01",
        "decision_number": "9/QĐ-SCT",
        "reason": "Cơ sở xin thôi tham gia",
    }
    ended = api.post(f"{members}/{member.pk}/end", end)
    assert ended.status_code == 200, ended.content
    assert (ended.json()["left_on"], ended.json()["taking_part"]) == (f"{year}-06-01", False)

    duplicate = api.post(members, member_body(project, one, land.communes[0], D(year, 6, 2)))
    assert refused(duplicate) == [("beneficiary", refusal("duplicate"))]
    over_support = api.post(
        members, member_body(project, four, land.communes[0], D(year, 6, 2), 150_000_000)
    )
    assert refused(over_support) == [
        (
            "support_amount",
            refusal("over_support", total="350.000.000 đ", support="300.000.000 đ"),
        )
    ]

    def on(day):
        rows = api.get(members, as_of=day.isoformat()).json()
        return [(row["beneficiary_id"], row["taking_part"]) for row in rows]

    assert on(D(year, 2, 1)) == []
    assert on(D(year, 4, 15)) == [(one.pk, True), (two.pk, True)]
    assert on(D(year, 5, 15)) == [(one.pk, True), (two.pk, True), (three.pk, True)]
    assert on(D(year, 6, 15)) == [(one.pk, True), (two.pk, False), (three.pk, True)]


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"kind": "group"}, "group_with_beneficiary"),
        ({"kind": "single", "beneficiary_id": None, "group_size": None},
         "single_without_beneficiary"),
    ],
)  # fmt: skip
def test_an_inconsistent_kind_is_refused_with_the_forms_message(land, changes, key):
    api = ApiClient(token_for(land.leader))
    body = project_body(land, beneficiary_id=land.establishments[0].pk)
    body.update(changes)
    response = api.post("/projects", body)
    assert refused(response) == [("beneficiary", refusal(key))]
    assert not Project.objects.filter(code=body["code"]).exists()


def test_a_participant_of_another_province_is_refused(land):
    project = pf.make_project(
        land.plan, kind="group", place=land.province, registered_on=D(land.year, 1, 2)
    )
    approve(project, land.year)
    api = ApiClient(token_for(pf.user(Role.SYSTEM_ADMIN)))
    body = member_body(project, land.foreign, land.communes[0], D(land.year, 3, 1))
    response = api.post(f"/projects/{project.pk}/members", body)
    assert refused(response) == [("beneficiary", refusal("other_province"))]


def test_adding_a_participant_is_idempotent():
    land = shape("three_levels")
    project = pf.make_project(
        land.plan, kind="group", place=land.province, registered_on=D(land.year, 1, 2)
    )
    approve(project, land.year)
    api = ApiClient(token_for(land.leader))
    api.headers["Idempotency-Key"] = "them-co-so-1"
    body = member_body(project, land.establishments[0], land.communes[0], D(land.year, 3, 1))
    first = api.post(f"/projects/{project.pk}/members", body)
    again = api.post(f"/projects/{project.pk}/members", body)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert project.members.count() == 1


def test_a_department_officer_without_the_permission_gets_403():
    land = shape("three_levels")
    project = pf.make_project(
        land.plan, kind="group", place=land.province, registered_on=D(land.year, 1, 2)
    )
    approve(project, land.year)
    staff = pf.user(Role.CENTRE_STAFF, province=land.province)
    api = ApiClient(token_for(staff))
    body = member_body(project, land.establishments[0], land.communes[0], D(land.year, 3, 1))
    assert api.post(f"/projects/{project.pk}/members", body).status_code == 403
    assert not project.members.exists()


def test_a_centre_run_project_and_its_patch():
    land = shape("three_levels")
    api = ApiClient(token_for(land.leader))
    body = project_body(
        land, code="API-TT", kind="centre", group_size=None, place_id=land.district.pk
    )
    created = api.post("/projects", body)
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["kind"], out["beneficiary_id"], out["district_id"]) == (
        "centre",
        None,
        land.district.pk,
    )
    patched = api.patch(
        f"/projects/{out['id']}", {"version": out["version"], "kind": "group", "group_size": 5}
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["kind"], patched.json()["group_size"]) == ("group", 5)
