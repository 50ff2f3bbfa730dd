"""Step (transition) forms: offered from ``lifecycle.available``, disabled with the reason when
the role may not, recorded through ``services.project_transition``; refusals and version
conflicts shown on the form with nothing saved."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.projects import lifecycle, services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import EventKind, Project, ProjectDocument, Status

from .factories import make_plan, make_project, step, user, walk

pytestmark = pytest.mark.django_db
D = datetime.date
BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, role, **kwargs):
    person = user(role, **kwargs)
    client.force_login(person, backend=BACKEND)
    return person


def step_url(project, kind):
    return reverse("projects:step", args=[project.pk, kind])


@pytest.fixture
def running():
    """A local-fund project in progress (30 %), last step on 14/01 of its plan year."""
    plan = make_plan(ceiling=1_000_000_000)
    project = make_project(plan, budget=100_000_000)
    last = walk(project, Status.IN_PROGRESS)
    return project, last


def test_the_project_page_offers_the_table_steps_with_reasons_when_disabled(client, running):
    project, _last = running
    login(client, Role.CENTRE_STAFF)
    page = client.get(reverse("projects:detail", args=[project.pk]))
    actions = page.context["actions"]
    offered = [action.key for action in actions["steps"]]
    assert offered == [row.kind for row in lifecycle.available(Status.IN_PROGRESS)]
    accept = next(action for action in actions["steps"] if action.key == EventKind.ACCEPT)
    assert not accept.decision.allowed
    html = page.content.decode()
    # the disabled button points to the sentence saying why, in Vietnamese
    assert f'disabled data-kind="accept" aria-describedby="{accept.reason_id}"' in html
    assert "việc này do Quản trị hệ thống, Lãnh đạo Sở Công Thương thực hiện." in html
    request_stop = next(a for a in actions["steps"] if a.key == EventKind.REQUEST_STOP)
    assert request_stop.decision.allowed
    assert f'href="{step_url(project, "request_stop")}"' in html

    login(client, Role.DEPARTMENT_LEADER)
    page = client.get(reverse("projects:detail", args=[project.pk]))
    accept = next(a for a in page.context["actions"]["steps"] if a.key == EventKind.ACCEPT)
    assert accept.decision.allowed


def test_a_step_form_needs_the_permission_and_a_possible_step(client, running):
    project, _last = running
    login(client, Role.CENTRE_STAFF)
    assert client.get(step_url(project, "accept")).status_code == 403
    assert client.get(step_url(project, "not_a_step")).status_code == 404
    login(client, Role.DEPARTMENT_LEADER)
    form = client.get(step_url(project, "accept"))
    assert form.status_code == 200
    assert form.context["form"].fields["document_number"].required
    assert "amount" in form.context["form"].fields
    # a step the table does not allow from "in progress": back to the project, with why
    response = client.get(step_url(project, "settle"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("projects:detail", args=[project.pk])
    assert "Không thể thực hiện “Quyết toán”" in response.content.decode()


def test_outside_the_area_a_step_form_is_not_found(client, running):
    project, _last = running
    from khuyencong.places.models import AdminUnit

    elsewhere = AdminUnit.objects.provinces().exclude(pk=project.province_id).first()
    login(client, Role.DEPARTMENT_LEADER, province=elsewhere)
    assert client.get(step_url(project, "accept")).status_code == 404


def test_acceptance_is_recorded_with_its_minutes_attached(client, running, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project, last = running
    day = last + datetime.timedelta(days=5)
    services.record_progress(project=project, actor=services.SYSTEM, date=day, progress_percent=100)
    login(client, Role.DEPARTMENT_LEADER)
    response = client.post(
        step_url(project, "accept"),
        {
            "effective_date": day.isoformat(),
            "document_number": "19/BB-NT",
            "document_date": day.isoformat(),
            "issuer": "Sở Công Thương",
            "amount": "95.000.000",
            "reason": "",
            "attachment": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minutes"),
            "expected_version": project.version,
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.ACCEPTED
    event = project.events.get(kind=EventKind.ACCEPT)
    assert (event.amount, event.document_number, event.issuer) == (
        95_000_000,
        "19/BB-NT",
        "Sở Công Thương",
    )
    document = ProjectDocument.objects.get(event=event)
    assert (document.doc_type, document.number, document.title) == (
        "acceptance",
        "19/BB-NT",
        "Nghiệm thu 19/BB-NT",
    )
    page = client.get(reverse("projects:detail", args=[project.pk]))
    assert "Nghiệm thu 19/BB-NT" in page.content.decode()  # the file under its timeline step


def test_a_refused_step_shows_the_vietnamese_reason_and_saves_nothing(client, running):
    project, last = running
    version, events = project.version, project.events.count()
    login(client, Role.DEPARTMENT_LEADER)
    response = client.post(
        step_url(project, "accept"),
        {
            "effective_date": (last + datetime.timedelta(days=1)).isoformat(),
            "document_number": "19/BB-NT",
            "expected_version": version,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == [
        "Nghiệm thu cần hoàn thành toàn bộ khối lượng công việc (100 %); hiện mới ghi nhận: 30 %."
    ]
    assert 'class="alert alert-danger"' in response.content.decode()
    project.refresh_from_db()
    assert (project.version, project.events.count(), project.status) == (
        version,
        events,
        Status.IN_PROGRESS,
    )


def test_required_paperwork_is_asked_by_the_form(client, running):
    project, last = running
    login(client, Role.CENTRE_STAFF)
    response = client.post(
        step_url(project, "request_stop"),
        {"effective_date": (last + datetime.timedelta(days=1)).isoformat(), "expected_version": 1},
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    bad_date = client.post(
        step_url(project, "request_stop"),
        {"effective_date": "31/02/2018", "reason": "x", "expected_version": project.version},
    )
    assert "effective_date" in bad_date.context["form"].errors


def test_a_stale_form_keeps_the_input_and_says_what_happened(client, running):
    project, last = running
    login(client, Role.CENTRE_STAFF)
    stale = project.version
    day = last + datetime.timedelta(days=2)
    step(project, EventKind.UNDER_REVIEW, last + datetime.timedelta(days=1))  # someone else
    data = {
        "effective_date": day.isoformat(),
        "document_number": "12/CV",
        "reason": "Khó khăn về thị trường tiêu thụ",
        "expected_version": stale,
    }
    response = client.post(step_url(project, "request_stop"), data)
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS
    assert not project.events.filter(kind=EventKind.REQUEST_STOP).exists()
    html = response.content.decode()
    assert "Người khác đã thay đổi đề án này" in html
    assert "Khó khăn về thị trường tiêu thụ" in html and 'value="12/CV"' in html
    assert response.context["conflict"]
    # the form now carries the version the user has seen: submitting again records the step
    assert f'name="expected_version" value="{project.version}"' in html
    data["expected_version"] = project.version
    again = client.post(step_url(project, "request_stop"), data)
    assert again.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.STOP_REQUESTED


def test_an_approved_adjustment_changes_the_budget_only_when_the_amounts_change(client):
    plan = make_plan(ceiling=1_000_000_000)
    project = make_project(plan, budget=100_000_000)
    last = walk(project, Status.ADJUSTMENT_REQUESTED)
    login(client, Role.DEPARTMENT_LEADER)
    base = {
        "effective_date": (last + datetime.timedelta(days=1)).isoformat(),
        "document_number": "88/QĐ-SCT",
        "budget_national": "0",
        "budget_local": "100.000.000",
        "budget_counterpart": "0",
        "budget_other": "0",
        "expected_version": project.version,
    }
    form = client.get(step_url(project, "approve_adjustment")).context["form"]
    assert form["budget_local"].value() == "100.000.000"  # shown grouped, Vietnamese style
    response = client.post(step_url(project, "approve_adjustment"), base)
    assert response.status_code == 302
    event = Project.objects.get(pk=project.pk).events.get(kind=EventKind.APPROVE_ADJUSTMENT)
    assert event.budget is None  # content or timing only

    other = make_project(plan, budget=100_000_000)
    last = walk(other, Status.ADJUSTMENT_REQUESTED)
    base.update(
        effective_date=(last + datetime.timedelta(days=1)).isoformat(),
        budget_local="80 triệu",
        expected_version=other.version,
    )
    assert client.post(step_url(other, "approve_adjustment"), base).status_code == 302
    other.refresh_from_db()
    assert other.budget_local == 80_000_000 and other.status == Status.ASSIGNED


def test_settlement_needs_its_amount(client, running):
    project, last = running
    day = last + datetime.timedelta(days=1)
    services.record_progress(project=project, actor=services.SYSTEM, date=day, progress_percent=100)
    step(project, EventKind.ACCEPT, day)
    login(client, Role.DEPARTMENT_LEADER)
    url = step_url(project, "settle")
    data = {
        "effective_date": day.isoformat(),
        "document_number": "1/QĐ",
        "expected_version": project.version,
    }
    response = client.post(url, data)
    assert "amount" in response.context["form"].errors
    response = client.post(url, {**data, "amount": "abc"})
    assert response.context["form"].errors["amount"] == ["“abc” không phải là một số tiền."]
    assert client.post(url, {**data, "amount": "0"}).status_code == 302
    project.refresh_from_db()
    assert project.status == Status.SETTLED


def test_a_bad_attachment_records_nothing(client, running):
    project, last = running
    login(client, Role.CENTRE_STAFF)
    data = {
        "effective_date": (last + datetime.timedelta(days=1)).isoformat(),
        "reason": "Xin dừng",
        "expected_version": project.version,
        "attachment": SimpleUploadedFile("letter.pdf", b"MZ not a pdf"),
    }
    response = client.post(step_url(project, "request_stop"), data)
    assert response.status_code == 200
    assert "attachment" in response.context["form"].errors
    assert Project.objects.get(pk=project.pk).status == Status.IN_PROGRESS


def test_the_step_and_its_file_are_saved_together_or_not_at_all(
    client, running, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    project, last = running
    login(client, Role.CENTRE_STAFF)
    data = {
        "effective_date": (last + datetime.timedelta(days=1)).isoformat(),
        "reason": "Xin dừng",
        "expected_version": project.version,
        "attachment": SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter"),
    }
    with mock.patch.object(services, "add_document", side_effect=Refused("Lỗi lưu tệp", "file")):
        response = client.post(step_url(project, "request_stop"), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Lỗi lưu tệp"]
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS
    assert not project.events.filter(kind=EventKind.REQUEST_STOP).exists()


def test_a_national_fund_decision_is_for_the_national_agency(client):
    plan = make_plan(source_code="national", ceiling=1_000_000_000)
    project = make_project(plan, budget=100_000_000)
    walk(project, Status.APPRAISED, D(plan.year, 1, 3))
    login(client, Role.DEPARTMENT_LEADER)
    page = client.get(reverse("projects:detail", args=[project.pk]))
    approve = next(a for a in page.context["actions"]["steps"] if a.key == EventKind.APPROVE)
    assert not approve.decision.allowed
    login(client, Role.NATIONAL_AGENCY)
    form = client.get(step_url(project, "approve")).context["form"]
    assert "attachment" not in form.fields  # the agency does not file the province's papers
    response = client.post(
        step_url(project, "approve"),
        {
            "effective_date": D(plan.year, 1, 5).isoformat(),
            "document_number": "4855/QĐ-BCT",
            "expected_version": project.version,
        },
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).status == Status.APPROVED
