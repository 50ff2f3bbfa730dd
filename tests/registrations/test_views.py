"""The registration pages: list (scope, htmx, query count), detail (screening table,
workflow buttons by role), forms (money typed as people type it, errors on their fields,
nothing saved on bad input), appraisal and decision forms, plan building (outcome, live
ceiling check, refusal over the ceiling, approval), Mẫu 2 download, rules page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.demo.registrations import load_bac_kan_2019_registrations
from khuyencong.plans.models import Plan, PlanStatus
from khuyencong.projects.models import Project
from khuyencong.registrations.models import AppraisalDecision, Registration, Status

from . import factories as f

pytestmark = pytest.mark.django_db
M = 1_000_000


def login(client, role=Role.CENTRE_STAFF, **kwargs):
    user = f.user(role, **kwargs)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def form_data(**overrides):
    who = overrides.pop("beneficiary", None) or f.beneficiary()
    data = {
        "beneficiary": who.pk,
        "target_year": 2019,
        "funding_source": f.source("local").pk,
        "content_area": f.area("machinery").pk,
        "title": "Hỗ trợ máy móc sản xuất đồ mộc",
        "product": "Đồ mộc dân dụng",
        "description": "Mua máy bào mới.",
        "place": "",
        "industry": "",
        "implementing_unit": f.centre().pk,
        "registered_on": "2018-05-15",
        "planned_start": "2019-03-01",
        "planned_end": "2019-11-30",
        "total_investment": "200 triệu",
        "requested_national": "",
        "requested_local": "80.000.000",
        "requested_other": "",
        "counterpart": "120.000.000 đ",
        "workforce": "12",
        "local_raw_material_percent": "60",
        "machinery_new": "true",
        "technology_new_in_district": "unknown",
        "pollution_assessment": "unknown",
        "fairs_abroad_count": "",
    }
    data.update(overrides)
    return data


# --------------------------------------------------------------------------- list


def test_the_list_shows_registrations_in_scope_with_their_screening(
    client, django_assert_max_num_queries
):
    for _ in range(12):
        f.submitted()
    login(client)
    url = reverse("registrations:list")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-outcome="pass"') == 12
    partial = client.get(url, {"status": "submitted"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert partial.content.decode().count("data-pk=") == 12


def test_another_province_and_a_beneficiary_see_only_theirs(client):
    mine = f.submitted()
    f.submitted()
    login(client, Role.CENTRE_STAFF, province=f.other_province())
    assert "data-pk=" not in client.get(reverse("registrations:list")).content.decode()
    assert client.get(reverse("registrations:detail", args=[mine.pk])).status_code == 404
    client.logout()
    login(client, Role.BENEFICIARY, beneficiary=mine.beneficiary)
    body = client.get(reverse("registrations:list")).content.decode()
    assert body.count("data-pk=") == 1 and mine.code in body


# --------------------------------------------------------------------------- detail


def test_the_detail_page_explains_each_check_with_its_basis(client):
    registration = f.submitted(machinery_new=False)
    login(client)
    body = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert 'id="screening-checks"' in body
    assert 'data-check="machinery_new" data-outcome="fail"' in body
    assert "Thông tư 46/2012/TT-BCT" in body
    assert 'id="priority-total"' in body


def test_a_draft_shows_a_preview_not_a_stored_screening(client):
    registration = f.registration()
    login(client)
    body = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert 'id="screening-preview"' in body and 'data-check="support_level"' in body
    assert not registration.screenings.exists()


def test_buttons_follow_the_role(client):
    registration = f.submitted()
    login(client, Role.BENEFICIARY, beneficiary=registration.beneficiary)
    body = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert 'data-step="return"' in body and "disabled" in body.split('data-step="return"')[1][:600]
    assert "Screen again" not in body and "Sàng lọc lại" not in body
    client.logout()
    login(client, Role.DEPARTMENT_LEADER)
    body = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert reverse("registrations:appraise", args=[registration.pk]) in body
    assert reverse("registrations:decide", args=[registration.pk]) in body


# --------------------------------------------------------------------------- forms


def test_create_through_the_form_with_money_as_people_type_it(client):
    login(client)
    response = client.post(reverse("registrations:create"), form_data())
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:detail", args=[registration.pk])
    assert (registration.total_investment, registration.requested_local) == (200 * M, 80 * M)
    assert registration.counterpart == 120 * M
    assert registration.place == registration.beneficiary.commune  # empty: its commune
    assert registration.machinery_new is True and registration.technology_new_in_district is None


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"requested_local": "-5"}, "âm"),
        ({"counterpart": "300 triệu"}, "counterpart"),
        ({"registered_on": "2016-05-15"}, "registered_on"),
        ({"place": "999999999"}, "place"),
        ({"total_investment": "mười triệu"}, "total_investment"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(client, overrides, fragment):
    login(client)
    response = client.post(reverse("registrations:create"), form_data(**overrides))
    assert response.status_code == 200
    assert not Registration.objects.exists()
    form = response.context["form"]
    assert form.errors
    flat = " ".join([*form.errors.keys(), *[m for ms in form.errors.values() for m in ms]])
    assert fragment in flat or fragment.replace("âm", "negative") in flat


def test_edit_a_draft_and_a_stale_edit_is_refused(client):
    registration = f.registration()
    login(client)
    url = reverse("registrations:edit", args=[registration.pk])
    assert client.get(url).status_code == 200
    data = form_data(beneficiary=registration.beneficiary, title="Tên đã sửa")
    data["expected_version"] = registration.version
    assert client.post(url, data).status_code == 302
    registration.refresh_from_db()
    assert registration.title == "Tên đã sửa"
    data["title"] = "Sửa lần hai trên bản cũ"
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    registration.refresh_from_db()
    assert registration.title == "Tên đã sửa"


def test_submit_return_withdraw_through_the_buttons(client):
    registration = f.registration()
    login(client)
    client.post(reverse("registrations:submit", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED and registration.screenings.count() == 1
    client.post(reverse("registrations:return", args=[registration.pk]), {"reason": "Thiếu"})
    registration.refresh_from_db()
    assert registration.status == Status.RETURNED
    response = client.post(
        reverse("registrations:withdraw", args=[registration.pk]), {"reason": ""}
    )
    registration.refresh_from_db()
    assert registration.status == Status.RETURNED  # no reason: refused, with a message
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages


def test_attach_and_download_a_file(client):
    registration = f.registration()
    login(client)
    pdf = SimpleUploadedFile("báo giá.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    client.post(
        reverse("registrations:attach", args=[registration.pk]), {"title": "Báo giá", "file": pdf}
    )
    attachment = registration.attachments.get()
    response = client.get(reverse("registrations:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    client.post(
        reverse("registrations:attach", args=[registration.pk]), {"title": "X", "file": fake}
    )
    assert registration.attachments.count() == 1


def test_appraisal_and_decision_forms(client):
    registration = f.submitted()
    login(client, Role.DEPARTMENT_LEADER)
    url = reverse("registrations:appraise", args=[registration.pk])
    page = client.get(url)
    assert "score_fit" in page.content.decode()
    data = {
        "appraised_on": "2018-06-01",
        "score_fit": 18,
        "score_need_efficiency": 20,
        "score_cost": 15,
        "score_capacity": 12,
        "score_integration": 8,
        "score_dossier": 99,
        "recommendation": "accept",
        "recommended_support": "80 triệu",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "score_dossier" in response.context["form"].errors
    data["score_dossier"] = 9
    assert client.post(url, data).status_code == 302
    assert registration.appraisals.get().total_points == 82
    decide = reverse("registrations:decide", args=[registration.pk])
    response = client.post(
        decide,
        {
            "outcome": "reduce",
            "approved_support": "90 triệu",
            "decision_number": "01/BB",
            "decision_date": "2018-06-10",
            "reason": "",
        },
    )
    assert response.status_code == 200
    assert {"approved_support", "reason"} <= set(response.context["form"].errors)
    response = client.post(
        decide,
        {
            "outcome": "reduce",
            "approved_support": "60 triệu",
            "decision_number": "01/BB",
            "decision_date": "2018-06-10",
            "reason": "Giảm hạng mục",
        },
    )
    assert response.status_code == 302
    assert AppraisalDecision.objects.get().approved_support == 60 * M


# --------------------------------------------------------------------------- plans


def plan_url(source="local", year=2019):
    return reverse("registrations:plan", args=[f.bac_kan().pk, year, source])


def test_the_plan_page_states_the_no_national_source_outcome(client):
    load_bac_kan_2019_registrations()
    login(client)
    body = client.get(plan_url("national")).content.decode()
    assert 'data-outcome="no_qualified"' in body
    assert reverse("registrations:summary_sheet", args=[f.bac_kan().pk, 2019, "national"]) in body
    sheet = client.get(
        reverse("registrations:summary_sheet", args=[f.bac_kan().pk, 2019, "national"])
    )
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(sheet.content)).active.title == "Mẫu 2"
    index = client.get(reverse("registrations:plans")).content.decode()
    assert plan_url("national") in index


def test_build_check_refuse_submit_and_approve_a_plan(client):
    first, second = f.accepted(), f.accepted()
    login(client)
    url = plan_url()
    page = client.get(url).content.decode()
    assert first.code in page and second.code in page
    chosen = {"registrations": [first.pk, second.pk], "ceiling": "100 triệu"}
    check = client.post(url, {**chosen, "action": "check"}, HTTP_HX_REQUEST="true")
    assert 'data-over="yes"' in check.content.decode()
    refused = client.post(url, {**chosen, "action": "save"})
    assert refused.status_code == 200 and not Plan.objects.exists()
    assert "60.000.000" in refused.content.decode()  # the excess is stated
    client.post(url, {**chosen, "ceiling": "200 triệu", "action": "save"})
    plan = Plan.objects.get()
    assert plan.status == PlanStatus.DRAFT
    client.post(url, {"action": "submit"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    client.logout()
    login(client, Role.DEPARTMENT_LEADER)
    response = client.post(
        url,
        {
            "action": "approve",
            "decision_number": "2510/QĐ-UBND",
            "decision_date": "2018-12-20",
            "approving_authority": "UBND tỉnh Bắc Kạn",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'id="projects-created"' in page
    assert Project.objects.filter(status="approved").count() == 2
    assert first.code.replace("DK-", "DA-") in page


def test_plan_pages_need_a_staff_role_in_scope(client):
    login(client, Role.BENEFICIARY, beneficiary=f.beneficiary())
    assert client.get(plan_url()).status_code == 403
    client.logout()
    login(client, Role.CENTRE_STAFF, province=f.other_province())
    assert client.get(plan_url()).status_code == 403


def test_the_rules_page_marks_unconfirmed_numbers(client, django_assert_max_num_queries):
    from khuyencong.registrations.models import LocationRule

    archived = LocationRule.objects.get(
        rule_set__code="nd45_national", unit_type="Phường", parent_unit_type="Quận"
    )
    archived.archive()
    login(client)
    with django_assert_max_num_queries(25):
        body = client.get(reverse("registrations:rules")).content.decode()
    assert "phường thuộc quận" in body  # the local rule set's row
    assert body.count("phường thuộc quận") == 1  # the archived national one is hidden
    assert "data-unconfirmed" in body
    assert "300.000.000" in body and "1.000.000.000" in body
    assert "Nghị định 45/2012/NĐ-CP" in body


def test_navigation_has_the_registrations_entry(client):
    login(client)
    assert reverse("registrations:list") in client.get(reverse("home")).content.decode()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


_ = datetime  # dates are typed as ISO strings in the forms above


def test_an_administrator_edits_the_rule_rows_in_the_admin(client):
    from khuyencong.registrations.models import EligibilityRuleSet, SupportLevelRule

    login(client, Role.SYSTEM_ADMIN)
    for model in ("supportlevelrule", "eligibilityruleset", "excludedproduct", "registration"):
        assert client.get(f"/admin/registrations/{model}/").status_code == 200
    rule_set = EligibilityRuleSet.objects.get(code="nd45_national")
    assert (
        client.get(f"/admin/registrations/eligibilityruleset/{rule_set.pk}/change/").status_code
        == 200
    )
    level = SupportLevelRule.objects.filter(confirmed=False).first()
    assert (
        client.get(f"/admin/registrations/supportlevelrule/{level.pk}/change/").status_code == 200
    )
