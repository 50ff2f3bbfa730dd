"""The progress form: work done and money disbursed (``services.record_progress``), the advance
cap explained (and refused in Vietnamese), files attached to the update."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.projects.models import EventKind, ProgressUpdate, ProjectDocument, Status

from .factories import make_plan, make_project, step, user, walk

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, role):
    client.force_login(user(role), backend=BACKEND)


def url(project):
    return reverse("projects:progress", args=[project.pk])


@pytest.fixture
def contracted():
    """A local-fund project of 100 M, contract signed (no work yet), in 2019 (cap 70 %)."""
    plan = make_plan(ceiling=1_000_000_000, year=2019)
    project = make_project(plan, budget=100_000_000)
    last = walk(project, Status.CONTRACTED)
    return project, last


def post(client, project, day, **fields):
    data = {
        "date": day.isoformat(),
        "progress_percent": 0,
        "disbursed_amount": "",
        "disbursement_kind": "advance",
        "note": "",
        "expected_version": project.version,
        **fields,
    }
    return client.post(url(project), data)


def test_the_form_is_for_the_centre_and_shows_the_advance_room(client, contracted):
    project, _last = contracted
    login(client, Role.DEPARTMENT_LEADER)
    assert client.get(url(project)).status_code == 403
    login(client, Role.CENTRE_STAFF)
    page = client.get(url(project))
    assert page.status_code == 200
    advance = page.context["advance"]
    assert (advance["cap"], advance["advanced"], advance["room"]) == (70_000_000, 0, 70_000_000)
    html = page.content.decode()
    assert 'id="advance-room">70.000.000 đ' in html
    assert "Mức tạm ứng tối đa" in html


def test_first_work_starts_the_project_and_advances_are_recorded(client, contracted):
    project, last = contracted
    login(client, Role.CENTRE_STAFF)
    day = last + datetime.timedelta(days=3)
    response = post(client, project, day, progress_percent=40, disbursed_amount="30.000.000")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS
    assert project.events.filter(kind=EventKind.START, effective_date=day).exists()
    row = ProgressUpdate.objects.get(project=project)
    assert (row.progress_percent, row.disbursed_amount, row.disbursement_kind) == (
        40,
        30_000_000,
        "advance",
    )
    page = client.get(url(project))
    assert page.context["advance"]["room"] == 40_000_000
    assert page.context["form"]["progress_percent"].value() == 40  # starts from what is done


def test_an_advance_above_the_cap_is_refused_with_the_cap_explained(client, contracted):
    project, last = contracted
    login(client, Role.CENTRE_STAFF)
    day = last + datetime.timedelta(days=3)
    response = post(client, project, day, progress_percent=50, disbursed_amount="80.000.000")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Tổng tạm ứng sẽ là 80.000.000 đ, vượt 70 % kinh phí hỗ trợ (70.000.000 đ)."
    ]
    html = response.content.decode()
    assert 'id="advance-cap"' in html and "border-danger" in html
    assert 'id="advance-room">70.000.000 đ' in html
    assert not ProgressUpdate.objects.filter(project=project).exists()
    project.refresh_from_db()
    assert project.status == Status.CONTRACTED


def test_work_done_cannot_go_down_nor_be_recorded_before_the_last_step(client, contracted):
    project, last = contracted
    login(client, Role.CENTRE_STAFF)
    post(client, project, last + datetime.timedelta(days=2), progress_percent=60)
    project.refresh_from_db()
    response = post(client, project, last + datetime.timedelta(days=3), progress_percent=50)
    assert "Khối lượng công việc không thể giảm" in response.context["form"].non_field_errors()[0]
    response = post(client, project, last, progress_percent=70)
    assert response.context["form"].non_field_errors()[0].startswith("Ngày ")
    assert ProgressUpdate.objects.filter(project=project).count() == 1
    response = post(client, project, last + datetime.timedelta(days=4), progress_percent=101)
    assert "progress_percent" in response.context["form"].errors


def test_after_acceptance_payments_are_offered(client, contracted):
    project, last = contracted
    day = last + datetime.timedelta(days=1)
    from khuyencong.projects import services

    services.record_progress(project=project, actor=services.SYSTEM, date=day, progress_percent=100)
    step(project, EventKind.ACCEPT, day, amount=90_000_000)
    login(client, Role.CENTRE_STAFF)
    page = client.get(url(project))
    assert page.context["form"]["disbursement_kind"].value() == "payment"
    assert page.context["payment_due"] == 90_000_000
    response = post(
        client,
        project,
        day,
        progress_percent=100,
        disbursed_amount="95.000.000",
        disbursement_kind="payment",
    )
    assert (
        "vượt số được thanh toán (90.000.000 đ)" in response.context["form"].non_field_errors()[0]
    )


def test_a_file_attaches_to_the_progress_update(client, contracted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project, last = contracted
    login(client, Role.CENTRE_STAFF)
    day = last + datetime.timedelta(days=1)
    response = post(
        client,
        project,
        day,
        progress_percent=20,
        attachment=SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        attachment_type="other",
    )
    assert response.status_code == 302
    document = ProjectDocument.objects.get(project=project)
    assert document.progress_update == ProgressUpdate.objects.get(project=project)
    assert document.title == f"Tiến độ 20 % ngày {day:%d/%m/%Y}"
    assert document.content_type == "image/png"
