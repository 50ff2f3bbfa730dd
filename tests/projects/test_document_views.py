"""Document upload (typed; size and real type checked), listed on the project page,
downloaded through the permission-checked view."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.projects.models import ProjectDocument, Status

from .factories import make_plan, make_project, user, walk

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def login(client, role, **kwargs):
    client.force_login(user(role, **kwargs), backend=BACKEND)


def test_upload_list_and_download(client):
    project = make_project(make_plan(year=2018))
    walk(project, Status.APPROVED)
    approval = project.events.get(kind="approve")
    login(client, Role.CENTRE_STAFF)
    url = reverse("projects:document_create", args=[project.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["event"].queryset) == list(project.events.order_by("sequence"))
    response = client.post(
        url,
        {
            "doc_type": "decision",
            "title": "Quyết định phê duyệt đề án",
            "number": "2318/QĐ-UBND",
            "date": "2017-12-20",
            "event": approval.pk,
            "file": SimpleUploadedFile("Quyết định phê duyệt.pdf", b"%PDF-1.4 decision"),
            "expected_version": form["expected_version"].value(),
        },
    )
    assert response.status_code == 302
    document = ProjectDocument.objects.get()
    assert (document.doc_type, document.event, document.original_name) == (
        "decision",
        approval,
        "Quyết định phê duyệt.pdf",
    )
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    download = reverse("projects:document_download", args=[document.pk])
    assert f'href="{download}">Quyết định phê duyệt đề án</a>' in page
    file = client.get(download)
    assert b"".join(file.streaming_content) == b"%PDF-1.4 decision"


def test_a_file_whose_content_does_not_match_its_type_is_refused(client):
    project = make_project(make_plan(year=2018))
    login(client, Role.CENTRE_STAFF)
    response = client.post(
        reverse("projects:document_create", args=[project.pk]),
        {
            "doc_type": "other",
            "title": "Tệp lạ",
            "file": SimpleUploadedFile("bao-cao.docx", b"MZ\x90\x00 an executable"),
            "expected_version": project.version,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert "docx" in response.context["form"].errors["file"][0]
    response = client.post(
        reverse("projects:document_create", args=[project.pk]),
        {
            "doc_type": "other",
            "title": "Tệp",
            "file": SimpleUploadedFile("run.exe", b"MZ"),
            "expected_version": project.version,
        },
    )
    assert "pdf, doc, docx" in response.context["form"].errors["file"][0]
    assert not ProjectDocument.objects.exists()


def test_uploading_needs_the_documents_permission(client):
    project = make_project(make_plan(year=2018))
    url = reverse("projects:document_create", args=[project.pk])
    login(client, Role.NATIONAL_AGENCY)
    assert client.get(url).status_code == 403
    login(client, Role.BENEFICIARY)
    assert client.get(url).status_code == 404  # not even visible to another establishment
