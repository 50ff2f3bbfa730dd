"""Issue 19: project kinds (one beneficiary, group project, the centre's own), group
projects' participants by dated decision, multi-year plans in the lists."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.projects import groups, plan_services
from khuyencong.projects.models import GroupMember, Project
from khuyencong.projects.selectors import project_list
from khuyencong.projects.services import SYSTEM
from tests.beneficiaries.factories import BeneficiaryFactory

from . import factories as pf
from .factories import make_project, province, source, user
from .group_shapes import approve, refusal, shape

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


BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(params=["three_levels", "two_levels"])
def land(request):
    return shape(request.param)


def login(client, who):
    client.force_login(who, backend=BACKEND)
    return client


def project_data(land, **changes):
    data = {
        "code": f"NH-{land.name}-01",
        "title": "Hỗ trợ máy móc cho các cơ sở đan lát",
        "plan": land.plan.pk,
        "content_area": pf.content_area().pk,
        "kind": "group",
        "group_size": "3",
        "implementing_unit": land.centre.pk,
        "beneficiary": "",
        "place": land.province.pk,
        "registered_on": f"{land.year}-01-02",
        "budget_national": "0",
        "budget_local": "300.000.000",
        "budget_counterpart": "100.000.000",
        "budget_other": "0",
    }
    data.update(changes)
    return data


def member_data(project, beneficiary, place, day, amount="100.000.000", number="1"):
    return {
        "beneficiary": beneficiary.pk,
        "place": place.pk,
        "support_amount": amount,
        "decision_number": f"{number}/QĐ-SCT",
        "decision_date": day.isoformat(),
        "issuer": "Sở Công Thương",
        "joined_on": "",
        "expected_version": Project.objects.get(pk=project.pk).version,
    }


def errors(response):
    form = response.context["form"]
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


def participants_on(client, project, day):
    url = reverse("projects:detail", args=[project.pk])
    response = client.get(url, {"as_of": day.isoformat()} if day else {})
    assert response.status_code == 200
    return response.context["participants"], response.content.decode()


def test_group_project_lifecycle_through_the_pages(client, land):
    login(client, land.leader)
    year = land.year
    # registered with no beneficiary, a number of units to support
    response = client.post(reverse("projects:create"), project_data(land))
    assert response.status_code == 302, errors(response)
    project = Project.objects.get(code=f"NH-{land.name}-01")
    assert (project.kind, project.group_size, project.beneficiary_id) == ("group", 3, None)
    card, html = participants_on(client, project, None)
    assert card.rows == [] and card.current == 0 and "0/3" in html
    assert "Đề án nhóm (0 cơ sở)" in html

    # no participant before the approval
    add = reverse("projects:member_add", args=[project.pk])
    one, two, three, four = land.establishments
    before = client.post(add, member_data(project, one, land.communes[0], D(year, 1, 5)))
    assert errors(before) == {"__all__": [refusal("before_approval")]}

    approve(project, year)
    steps = [
        (one, land.communes[0], D(year, 3, 1)),
        (two, land.communes[1], D(year, 4, 1)),
        (three, land.communes[2], D(year, 5, 1)),
    ]
    for number, (who, where, day) in enumerate(steps, start=1):
        response = client.post(add, member_data(project, who, where, day, number=str(number)))
        assert response.status_code == 302, errors(response)

    # a fourth is refused: the approval planned three
    over = client.post(add, member_data(project, four, land.communes[0], D(year, 5, 2)))
    assert errors(over) == {"__all__": [refusal("over_group_size", count=3)]}
    # the same establishment twice
    member = GroupMember.objects.get(project=project, beneficiary=two)
    leave = reverse("projects:member_end", args=[project.pk, member.pk])
    response = client.post(
        leave,
        {
            "left_on": f"{year}-06-01",
            "decision_number": "9/QĐ-SCT",
            "reason": "Cơ sở xin thôi tham gia do chuyển đổi ngành nghề",
            "expected_version": member.version,
        },
    )
    assert response.status_code == 302, errors(response)
    duplicate = client.post(add, member_data(project, one, land.communes[0], D(year, 6, 2)))
    assert errors(duplicate) == {"beneficiary": [refusal("duplicate")]}
    # beyond the project's support: 200 M held, 300 M in all
    over_support = client.post(
        add, member_data(project, four, land.communes[0], D(year, 6, 2), amount="150.000.000")
    )
    assert errors(over_support) == {
        "support_amount": [refusal("over_support", total="350.000.000 đ", support="300.000.000 đ")]
    }

    # as of dates between the decisions
    expected = {
        D(year, 2, 1): ([], 0, 0),
        D(year, 3, 15): ([(one, False)], 1, 100_000_000),
        D(year, 4, 15): ([(one, False), (two, False)], 2, 200_000_000),
        D(year, 5, 15): ([(one, False), (two, False), (three, False)], 3, 300_000_000),
        D(year, 6, 15): ([(one, False), (two, True), (three, False)], 2, 200_000_000),
    }
    for day, (rows, current, support) in expected.items():
        card, html = participants_on(client, project, day)
        assert [(row.member.beneficiary, row.left) for row in card.rows] == rows, day
        assert (card.current, card.support, card.project_support) == (
            current,
            support,
            300_000_000,
        )
        assert f"{current}/3" in html
        assert f"Đề án nhóm ({current} cơ sở)" in html
    # the one who left is shown as left, with its decision and reason
    card, html = participants_on(client, project, None)
    assert [row.left for row in card.rows] == [False, True, False]
    assert "9/QĐ-SCT" in html and "chuyển đổi ngành nghề" in html
    assert 'data-left="true"' in html
    # never an invented beneficiary: the list says what the group project is
    listing = client.get(reverse("projects:list"), {"year": year, "as_of": f"{year}-05-15"})
    assert "Đề án nhóm (3 cơ sở)" in listing.content.decode()


def test_the_participants_actions_say_who_may_take_them(client, land):
    project = pf.make_project(
        land.plan, kind="group", group_size=2, place=land.province, registered_on=D(land.year, 1, 2)
    )
    staff = pf.user(Role.CENTRE_STAFF, province=land.province)
    card, html = participants_on(login(client, staff), project, None)
    assert not card.add.decision.allowed
    assert 'data-action="member_add"' in html and "disabled" in html
    assert card.add.decision.reason in html
    response = client.get(reverse("projects:member_add", args=[project.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"kind": "group"}, "beneficiary", "group_with_beneficiary"),
        ({"kind": "single", "beneficiary": "", "group_size": ""}, "beneficiary",
         "single_without_beneficiary"),
    ],
)  # fmt: skip
def test_the_form_refuses_an_inconsistent_kind_on_the_right_field(
    client, land, changes, field, key
):
    login(client, land.leader)
    data = project_data(land, beneficiary=land.establishments[0].pk)
    data.update(changes)
    response = client.post(reverse("projects:create"), data)
    assert response.status_code == 200
    assert errors(response) == {field: [refusal(key)]}
    assert not Project.objects.filter(code=data["code"]).exists()


def test_a_participant_of_another_province_is_refused(client, land):
    project = pf.make_project(
        land.plan, kind="group", place=land.province, registered_on=D(land.year, 1, 2)
    )
    approve(project, land.year)
    login(client, pf.user(Role.SYSTEM_ADMIN))  # may choose any establishment of the country
    add = reverse("projects:member_add", args=[project.pk])
    day = D(land.year, 3, 1)
    response = client.post(add, member_data(project, land.foreign, land.communes[0], day))
    assert errors(response) == {"beneficiary": [refusal("other_province")]}
    assert not project.members.exists()


@pytest.mark.parametrize("level", ["province", "district"])
def test_a_centre_run_project_at_the_province_or_a_district(client, level):
    land = shape("three_levels")
    place = land.province if level == "province" else land.district
    login(client, land.leader)
    data = project_data(
        land, kind="centre", group_size="", place=place.pk, code=f"TT-{level}",
        title="Hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu",
    )  # fmt: skip
    response = client.post(reverse("projects:create"), data)
    assert response.status_code == 302, errors(response)
    project = Project.objects.get(code=f"TT-{level}")
    assert (project.kind, project.beneficiary_id, project.place_id) == ("centre", None, place.pk)
    assert (project.province_id, project.district_id) == (
        land.province.pk,
        land.district.pk if level == "district" else None,
    )
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Trung tâm thực hiện" in html
    assert 'id="participants"' not in html


def test_the_form_offers_the_three_kinds_as_a_choice(client):
    land = shape("three_levels")
    html = login(client, land.leader).get(reverse("projects:create")).content.decode()
    for label in (
        "Đề án có một đơn vị thụ hưởng",
        "Đề án lập theo nhóm",
        "Đề án do Trung tâm tự thực hiện",
    ):
        assert label in html
    assert 'type="radio" name="kind" value="single"' in html
    assert 'data-field="group_size"' in html and 'data-field="beneficiary"' in html


def test_allocation_batch_cited_on_the_page_and_refused_from_another_plan(client):
    land = shape("three_levels")
    national = plan_services.create_plan(
        actor=SYSTEM,
        province=land.province,
        year=2024,
        funding_source=pf.source("national"),
        title="Kế hoạch khuyến công quốc gia 2024",
        ceiling=2_000_000_000,
    )
    other = plan_services.create_plan(
        actor=SYSTEM,
        province=land.province,
        year=2025,
        funding_source=pf.source("national"),
        title="Kế hoạch khuyến công quốc gia 2025",
        ceiling=2_000_000_000,
    )
    batch = plan_services.record_allocation(
        plan=national, actor=SYSTEM, batch=1, document_number="120/CCTĐP-KC",
        document_date=D(2024, 3, 15), issuer="Cục Công Thương địa phương",
        amount=1_000_000_000,
    )  # fmt: skip
    foreign = plan_services.record_allocation(
        plan=other, actor=SYSTEM, batch=1, document_number="7/CCTĐP-KC",
        document_date=D(2025, 2, 1), issuer="Cục Công Thương địa phương", amount=1,
    )  # fmt: skip
    admin = pf.user(Role.SYSTEM_ADMIN)
    login(client, admin)
    data = project_data(
        land, plan=national.pk, allocation=foreign.pk, code="QG-NHOM-01",
        budget_local="0", budget_national="500.000.000", registered_on="2024-03-20",
    )  # fmt: skip
    response = client.post(reverse("projects:create"), data)
    assert errors(response) == {
        "allocation": ["Đợt giao thuộc kế hoạch khác với kế hoạch của đề án."]
    }
    data["allocation"] = batch.pk
    response = client.post(reverse("projects:create"), data)
    assert response.status_code == 302, errors(response)
    project = Project.objects.get(code="QG-NHOM-01")
    assert (project.kind, project.kcqg_type, project.allocation_id) == ("group", "nhom", batch.pk)
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Công văn số 120/CCTĐP-KC ngày 15/03/2024 của Cục Công Thương địa phương, đợt 1" in html


def test_list_and_export_show_group_projects_with_a_constant_query_count(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import load_workbook

    land = shape("three_levels")
    more = [
        BeneficiaryFactory(name=f"Cơ sở thêm {n}", commune=land.communes[n % 3]) for n in range(8)
    ]
    small = make_group_projects(land, "S", 3, land.establishments[:1])
    large = make_group_projects(land, "L", 3, more)
    login(client, land.leader)
    url = reverse("projects:list")
    client.get(url)  # the filter's choice lists kept (core.choices)
    counts = []
    for code in ("S", "L"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"q": f"NHOM-{code}"})
        counts.append(len(captured))
        texts = [project.supported for project, _state in response.context["rows"]]
        assert len(texts) == 3
    assert texts == ["Đề án nhóm (8 cơ sở)"] * 3
    assert counts[0] == counts[1]
    assert small and large
    sheet = client.get(url, {"q": "NHOM-L", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    column = rows[0].index("Đơn vị thụ hưởng")
    assert [row[column] for row in rows[1:]] == ["Đề án nhóm (8 cơ sở)"] * 3


def make_group_projects(land, tag, count, members):
    projects = []
    for index in range(count):
        project = pf.make_project(
            land.plan, code=f"NHOM-{tag}-{index}", kind="group", place=land.province,
            budget=10**8, registered_on=D(land.year, 1, 2),
        )  # fmt: skip
        approve(project, land.year)
        for number, who in enumerate(members):
            groups.add_member(
                project=project, actor=SYSTEM, beneficiary=who, place=who.commune,
                support_amount=1_000_000, decision_number=f"{number}/QĐ",
                decision_date=D(land.year, 2, 1),
            )  # fmt: skip
        projects.append(project)
    return projects
