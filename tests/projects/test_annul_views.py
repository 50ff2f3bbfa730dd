"""The annul and correct forms (issue 20): a first POST checks and shows what will be
recorded, the second (confirm) records it; the timeline shows the record struck through with
who, when and why; refusals, conflicts and missing permissions save nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.projects import services
from khuyencong.projects.models import Annulment, DisbursementKind, EventKind, Status
from khuyencong.projects.services import SYSTEM

from .factories import make_project, step, user, walk

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, role, project):
    person = user(role, province_id=project.province_id)
    client.force_login(person, backend=BACKEND)
    return person


@pytest.fixture
def settled():
    project = make_project(budget=100_000_000)
    day = walk(project, Status.ACCEPTED)
    services.record_progress(
        project=project,
        actor=SYSTEM,
        date=day,
        progress_percent=100,
        disbursed_amount=30_000_000,
        disbursement_kind=DisbursementKind.PAYMENT,
    )
    step(project, EventKind.SETTLE, day + datetime.timedelta(days=2))
    return project


def test_annul_a_progress_entry_after_confirming(client, settled):
    project = settled
    services.annul_event(
        project=project,
        event=project.events.get(kind=EventKind.SETTLE),
        actor=SYSTEM,
        reason="Sai",
    )
    payment = project.progress_updates.get(disbursed_amount=30_000_000)
    login(client, Role.DEPARTMENT_LEADER, project)
    url = reverse("projects:progress_annul", args=[project.pk, payment.pk])
    assert client.get(url).status_code == 200
    data = {"reason": "Chi trùng", "expected_version": project.version}
    preview = client.post(url, data)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'id="annul-preview"' in html and "Sẽ hủy" in html and "Chi trùng" in html
    assert not Annulment.objects.filter(progress_update=payment).exists()  # only checked
    done = client.post(url, {**data, "confirm": "on"})
    assert done.status_code == 302
    annulment = Annulment.objects.get(progress_update=payment)
    assert annulment.reason == "Chi trùng"
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-annulled="true"' in page and "text-decoration-line-through" in page
    assert "Chi trùng" in page


def test_the_acceptance_under_a_settlement_is_refused_on_the_form(client, settled):
    project = settled
    acceptance = project.events.get(kind=EventKind.ACCEPT)
    login(client, Role.DEPARTMENT_LEADER, project)
    url = reverse("projects:event_annul", args=[project.pk, acceptance.pk])
    response = client.post(url, {"reason": "Sai", "expected_version": project.version})
    assert response.status_code == 200
    # the payment after it is the first record left against the rules
    assert "Hãy hủy hoặc sửa bản ghi đó trước." in response.content.decode()
    assert 'id="annul-preview"' not in response.content.decode()
    confirmed = client.post(
        url, {"reason": "Sai", "expected_version": project.version, "confirm": "on"}
    )
    assert confirmed.status_code == 200
    assert not Annulment.objects.exists()


def test_correct_an_acceptance_number_shows_old_struck_and_new(client, settled):
    project = settled
    acceptance = project.events.get(kind=EventKind.ACCEPT)
    login(client, Role.DEPARTMENT_LEADER, project)
    url = reverse("projects:event_correct", args=[project.pk, acceptance.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "effective_date": acceptance.effective_date.strftime("%d/%m/%Y"),
        "document_number": "77/BB-NT",
        "document_date": "",
        "issuer": "",
        "amount": "",
        "reason": "Gõ nhầm số biên bản",
        "expected_version": project.version,
    }
    preview = client.post(url, data)
    assert preview.status_code == 200, preview.content.decode()[:3000]
    assert "77/BB-NT" in preview.content.decode()
    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    project.refresh_from_db()
    assert project.status == Status.SETTLED
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "77/BB-NT" in page
    assert "đã sửa bởi" in page


def test_who_may_open_the_forms(client, settled):
    project = settled
    payment = project.progress_updates.first()
    url = reverse("projects:progress_annul", args=[project.pk, payment.pk])
    login(client, Role.CENTRE_STAFF, project)
    assert client.get(url).status_code == 403
    client.logout()
    missing = reverse("projects:progress_annul", args=[project.pk, 10**8])
    login(client, Role.DEPARTMENT_LEADER, project)
    assert client.get(missing).status_code == 404


def test_a_stale_form_is_refused(client, settled):
    project = settled
    payment = project.progress_updates.first()
    login(client, Role.DEPARTMENT_LEADER, project)
    url = reverse("projects:progress_annul", args=[project.pk, payment.pk])
    response = client.post(
        url, {"reason": "Trùng", "expected_version": project.version - 1, "confirm": "on"}
    )
    assert response.status_code == 200
    assert not Annulment.objects.exists()
