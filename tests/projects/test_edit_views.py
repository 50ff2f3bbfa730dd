"""Register and edit a project: the place in force on the project's date, the beneficiary of
the user's area (picker and its search), approved money read-only, stale edits refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind
from khuyencong.places.models import AdminUnit
from khuyencong.projects import services
from khuyencong.projects.models import EventKind, Project, Status

from .factories import OrganisationFactory, content_area, make_plan, make_project, units, user, walk

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, role, **kwargs):
    person = user(role, **kwargs)
    client.force_login(person, backend=BACKEND)
    return person


def beneficiary(name, commune):
    return Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code="household"), name=name, commune=commune
    )


def other_province_commune():
    return (
        AdminUnit.objects.communes()
        .filter(era="legacy")
        .exclude(province=units()["06"])
        .select_related("province")
        .first()
    )


@pytest.fixture
def form_data():
    plan = make_plan(year=2018, ceiling=1_000_000_000)
    centre = OrganisationFactory(kind="centre")
    return plan, {
        "code": "BK-KCDP-2018-99",
        "title": "Hỗ trợ máy móc thiết bị sản xuất đồ mộc",
        "plan": plan.pk,
        "content_area": content_area("machinery").pk,
        "kcqg_type": "",
        "implementing_unit": centre.pk,
        "beneficiary": "",
        "place": units()["02185"].pk,
        "registered_on": "2018-02-01",
        "document_number": "01/ĐK",
        "budget_national": "0",
        "budget_local": "70.000.000",
        "budget_counterpart": "80 triệu",
        "budget_other": "",
        "start_date": "2018-03-01",
        "end_date": "2018-12-31",
        "expected_results": "",
    }


def test_registering_a_project(client, form_data):
    plan, data = form_data
    login(client, Role.CENTRE_STAFF)
    tu = beneficiary("HKD Lại Văn Tú", units()["02185"])
    page = client.get(reverse("projects:create"), {"plan": plan.pk})
    assert page.status_code == 200
    assert page.context["form"]["plan"].value() == plan.pk
    response = client.post(reverse("projects:create"), {**data, "beneficiary": tu.pk})
    assert response.status_code == 302
    project = Project.objects.get(code="BK-KCDP-2018-99")
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert (project.budget_local, project.budget_counterpart, project.budget_other) == (
        70_000_000,
        80_000_000,
        0,
    )
    assert project.beneficiary == tu and project.status == Status.REGISTERED
    register = project.events.get()
    assert (register.kind, register.effective_date, register.document_number) == (
        EventKind.REGISTER,
        datetime.date(2018, 2, 1),
        "01/ĐK",
    )


def test_the_place_must_be_in_force_on_the_project_date(client, form_data):
    _plan, data = form_data
    login(client, Role.SYSTEM_ADMIN)
    current = AdminUnit.objects.communes().filter(era="current").first()
    response = client.post(reverse("projects:create"), {**data, "place": current.pk})
    assert response.status_code == 200
    [message] = response.context["form"].errors["place"]
    assert "01/03/2018" in message  # the start date decides
    assert not Project.objects.filter(code=data["code"]).exists()
    # the search offers both eras (the date is typed after the page is drawn), marked by era
    picker = response.context["form"].fields["place"].widget
    assert "on=" not in picker.search_url()


def test_a_province_user_picks_places_and_beneficiaries_of_their_area(client, form_data):
    _plan, data = form_data
    login(client, Role.CENTRE_STAFF)
    outside = other_province_commune()
    stranger = beneficiary("HKD Người Tỉnh Khác", outside)
    response = client.post(reverse("projects:create"), {**data, "beneficiary": stranger.pk})
    assert "beneficiary" in response.context["form"].errors
    response = client.post(reverse("projects:create"), {**data, "place": outside.pk})
    assert "place" in response.context["form"].errors
    assert not Project.objects.filter(code=data["code"]).exists()


def test_refusals_from_the_rules_land_on_their_field(client, form_data):
    plan, data = form_data
    login(client, Role.CENTRE_STAFF)
    make_project(plan, code="BK-KCDP-2018-99")
    response = client.post(reverse("projects:create"), data)
    assert response.context["form"].errors["code"] == ["Đã có đề án khác mang mã BK-KCDP-2018-99."]
    response = client.post(
        reverse("projects:create"), {**data, "code": "X-1", "end_date": "2018-01-01"}
    )
    assert "end_date" in response.context["form"].errors


def test_the_beneficiary_search_is_accent_insensitive_and_scoped(client):
    login(client, Role.CENTRE_STAFF)
    beneficiary("HKD Lại Văn Tú", units()["02185"])
    beneficiary("HKD Lại Văn Tư", other_province_commune())
    url = reverse("projects:beneficiary_search")
    body = client.get(url, {"q": "lai van tu"}).content.decode()
    assert "HKD Lại Văn Tú" in body and "Xã Quang Phong" in body
    assert "HKD Lại Văn Tư" not in body
    assert "Không có đơn vị thụ hưởng" in client.get(url, {"q": "khong co ai"}).content.decode()
    login(client, Role.BENEFICIARY)
    assert client.get(url, {"q": "lai"}).status_code == 403


def test_editing_keeps_approved_money_read_only(client):
    plan = make_plan(ceiling=1_000_000_000)
    project = make_project(plan, budget=100_000_000)
    walk(project, Status.APPROVED)
    login(client, Role.CENTRE_STAFF)
    url = reverse("projects:edit", args=[project.pk])
    form = client.get(url).context["form"]
    assert form.fields["budget_local"].disabled and form.fields["plan"].disabled
    data = {
        "code": project.code,
        "title": "Tên mới của đề án",
        "content_area": project.content_area_id,
        "kcqg_type": "",
        "implementing_unit": project.implementing_unit_id,
        "beneficiary": "",
        "place": project.place_id,
        "budget_local": "999.000.000",  # ignored: the field is read-only
        "start_date": "",
        "end_date": "",
        "expected_results": "Kết quả",
        "expected_version": project.version,
    }
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.title == "Tên mới của đề án" and project.budget_local == 100_000_000
    assert project.expected_results == "Kết quả"


def test_a_stale_edit_is_refused_and_the_input_kept(client):
    project = make_project()
    login(client, Role.CENTRE_STAFF)
    url = reverse("projects:edit", args=[project.pk])
    stale = project.version
    services.update_project(
        project=project, actor=services.SYSTEM, expected_version=stale, title="Người khác sửa"
    )
    data = {
        "code": project.code,
        "title": "Tên của tôi",
        "plan": project.plan_id,
        "content_area": project.content_area_id,
        "implementing_unit": project.implementing_unit_id,
        "place": project.place_id,
        "budget_local": "100.000.000",
        "expected_version": stale,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Người khác đã thay đổi đề án này" in html and 'value="Tên của tôi"' in html
    assert 'id="current-version"' in html and "Người khác sửa" in html
    project.refresh_from_db()
    assert project.title == "Người khác sửa"


def test_editing_needs_the_permission(client):
    project = make_project()
    login(client, Role.DISTRICT_OFFICER, district=units()["066"])
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 403
    login(client, Role.BENEFICIARY)
    assert client.get(reverse("projects:create")).status_code == 403


def test_a_district_officer_registers_a_project_of_their_district(client, form_data):
    _plan, data = form_data
    na_ri = units()["066"]
    login(client, Role.DISTRICT_OFFICER, district=na_ri)
    form = client.get(reverse("projects:create")).context["form"]
    assert form.fields["implementing_unit"].queryset.exists()
    assert not form.fields["plan"].queryset.exists()  # plans are the province's
    data = {**data, "plan": "", "place": units()["02152"].pk}  # Cường Lợi, Na Rì
    response = client.post(reverse("projects:create"), data)
    assert response.status_code == 302
    assert Project.objects.get(code=data["code"]).district == na_ri
    elsewhere = {**data, "code": "X-2", "place": units()["01852"].pk}  # Nông Thượng, Bắc Kạn city
    response = client.post(reverse("projects:create"), elsewhere)
    assert "place" in response.context["form"].errors
