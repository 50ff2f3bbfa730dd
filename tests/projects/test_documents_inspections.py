"""Uploads (core.uploads): size and real type checked, names sanitised; project documents;
inspections with overdue follow-ups."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.models import Role
from khuyencong.core.uploads import UploadPath, check_upload, sanitize_filename
from khuyencong.projects import services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import FollowUpStatus, Inspection, ProjectDocument

from .factories import make_plan, make_project, user

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("bien-ban.pdf", PDF, "application/pdf"),
        ("anh.PNG", PNG, "image/png"),
        ("anh.jpeg", JPG, "image/jpeg"),
        ("quyet-dinh.doc", OLE, "application/msword"),
        ("du-toan.xls", OLE, "application/vnd.ms-excel"),
        ("hop-dong.docx", office("docx"), None),
        ("bang-ke.xlsx", office("xlsx"), None),
    ],
)
def test_allowed_types_pass_by_their_real_content(name, content, content_type):
    sniffed = check_upload(upload(name, content))
    assert sniffed.size == len(content)
    if content_type:
        assert sniffed.content_type == content_type


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.exe", b"MZ" + b"\x00" * 10, "file_type"),
        ("fake.pdf", b"MZ" + b"\x00" * 10, "file_content"),
        ("fake.docx", office("xlsx"), "file_content"),
        ("zip.xlsx", b"PK\x03\x04garbage", "file_content"),
        ("image.pdf", PNG, "file_content"),
        ("empty.pdf", b"", "file_empty"),
    ],
)
def test_bad_files_are_refused(name, content, code):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content))
    assert caught.value.code == code


def test_size_limit_comes_from_settings(settings):
    settings.MAX_UPLOAD_SIZE = 20
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("big.pdf", PDF))
    assert caught.value.code == "file_too_large"


def test_file_names_are_sanitised():
    assert (
        sanitize_filename("../Biên bản nghiệm thu (lần 1).PDF") == "Bien_ban_nghiem_thu_lan_1.pdf"
    )
    assert sanitize_filename("..\\..\\etc\\passwd") == "passwd"
    assert sanitize_filename("Đề án.tar.GZ") == "De_an.tar.gz"
    assert sanitize_filename("") == "file"
    assert len(sanitize_filename("a" * 300 + ".pdf")) == 100
    path = UploadPath("projects", "project_id")(
        type("P", (), {"project_id": 7})(), "Quyết định.pdf"
    )
    assert path.startswith("projects/7/") and path.endswith("_Quyet_dinh.pdf")


@pytest.mark.django_db
def test_documents_are_checked_stored_under_the_project_and_downloadable_in_scope(
    settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    project = make_project(make_plan(year=2018))
    centre = user(Role.CENTRE_STAFF)
    document = services.add_document(
        project=project,
        actor=centre,
        doc_type="acceptance",
        title="Biên bản nghiệm thu",
        file=upload("Biên bản.pdf", PDF),
        number="08/BB-NT",
        date=D(2018, 5, 25),
    )
    assert document.file.name.startswith(f"projects/{project.pk}/")
    assert (document.size, document.content_type) == (len(PDF), "application/pdf")
    assert document.uploaded_by == centre and document.original_name == "Biên bản.pdf"
    assert (tmp_path / document.file.name).read_bytes() == PDF
    assert services.may_download(centre, document)
    assert not services.may_download(user(Role.BENEFICIARY), document)
    with pytest.raises(Refused) as caught:
        services.add_document(
            project=project, actor=centre, doc_type="other", title="x", file=upload("x.pdf", PNG)
        )
    assert caught.value.code == "file"
    with pytest.raises(Refused) as caught:
        services.add_document(
            project=project,
            actor=user(Role.DISTRICT_OFFICER),
            doc_type="other",
            title="x",
            file=upload("x.pdf", PDF),
        )
    assert caught.value.code == "permission"
    assert ProjectDocument.objects.count() == 1


@pytest.mark.django_db
def test_inspections_flag_overdue_follow_ups():
    project = make_project(make_plan(year=2018))
    staff = user(Role.CENTRE_STAFF)
    planned = services.create_inspection(project=project, actor=staff, planned_date=D(2018, 6, 1))
    held = services.create_inspection(
        project=project,
        actor=staff,
        planned_date=D(2018, 6, 10),
        held_date=D(2018, 6, 12),
        team="Sở Công Thương, Trung tâm Khuyến công",
        findings="Chậm tiến độ lắp đặt",
        recommendations="Đẩy nhanh tiến độ",
        follow_up_deadline=D(2018, 7, 15),
        follow_up_status=FollowUpStatus.OPEN,
    )
    assert not planned.is_overdue(D(2018, 8, 1))
    assert not held.is_overdue(D(2018, 7, 15)) and held.is_overdue(D(2018, 7, 16))
    assert list(Inspection.objects.overdue(D(2018, 7, 16))) == [held]
    services.update_inspection(
        inspection=held, actor=staff, expected_version=held.version, follow_up_status="done"
    )
    assert not Inspection.objects.overdue(D(2018, 7, 16)).exists()
    with pytest.raises(Refused):
        services.create_inspection(
            project=project, actor=staff, planned_date=D(2018, 6, 1), follow_up_status="open"
        )
    with pytest.raises(Refused):
        services.create_inspection(
            project=project, actor=user(Role.BENEFICIARY), planned_date=D(2018, 6, 1)
        )
