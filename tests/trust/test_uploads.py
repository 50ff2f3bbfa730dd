"""Uploads: a size limit (also on disk while receiving), types checked by content, names
sanitised, files kept outside the web root and served only by permission-checked views."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse

from khuyencong.core import uploads
from khuyencong.core.uploads import (
    LimitedTemporaryFileUploadHandler,
    UploadPath,
    check_upload,
    sanitize_filename,
)
from tests.trust.conftest import client_for
from tests.trust.routes import DOWNLOADS, ROUTES

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def office(kind: str, extra: dict[str, bytes] | None = None) -> bytes:
    folder = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(folder, "<x/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def legacy_office(stream: str) -> bytes:
    return OLE2 + b"\x00" * 200 + stream.encode("utf-16-le") + b"\x00" * 200


@pytest.mark.parametrize(
    "name,content",
    [
        ("bien-ban.pdf", PDF),
        ("anh.png", PNG),
        ("anh.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
        ("hop-dong.docx", office("docx")),
        ("du-toan.xlsx", office("xlsx")),
        ("cu.doc", legacy_office("WordDocument")),
        ("cu.xls", legacy_office("Workbook")),
        ("json.pdf", b"%PDF-1.4\n/JSONData (x) /JSX 1\n%%EOF"),
    ],
)
def test_real_files_of_the_allowed_types_are_accepted(name, content):
    assert check_upload(SimpleUploadedFile(name, content)).size == len(content)


@pytest.mark.parametrize(
    "name,content,code",
    [
        ("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64, "file_content"),
        ("trang.html", b"<html><script>alert(1)</script></html>", "file_type"),
        ("anh.svg", b"<svg onload=alert(1)/>", "file_type"),
        ("script.php", b"<?php ?>", "file_type"),
        ("tai-lieu.docx", PDF, "file_content"),
        ("bang.xlsx", office("docx"), "file_content"),
        ("word.xls", legacy_office("WordDocument"), "file_content"),
        ("macro.docx", office("docx", {"word/vbaProject.bin": b"VBA"}), "file_unsafe"),
        (
            "macro.xls",
            legacy_office("Workbook") + "_VBA_PROJECT".encode("utf-16-le"),
            "file_unsafe",
        ),
        ("js.pdf", b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (x) >> >>", "file_unsafe"),
        ("launch.pdf", b"%PDF-1.4\n<< /S /Launch /F (cmd.exe) >>", "file_unsafe"),
        ("empty.pdf", b"", "file_empty"),
        ("khong-duoi", PDF, "file_type"),
    ],
)
def test_files_are_judged_by_their_content_not_their_name(name, content, code):
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, content))
    assert refused.value.code == code


def test_zip_bombs_are_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED_SIZE", 1_000_000)
    bomb = office("xlsx", {"xl/sheet1.xml": b"0" * 2_000_000})
    assert len(bomb) < 50_000
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("bom.xlsx", bomb))
    assert refused.value.code == "file_unsafe"


def test_size_limit_and_message(settings):
    settings.MAX_UPLOAD_SIZE = 1000
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("lon.pdf", PDF + b"0" * 1000))
    assert refused.value.code == "file_too_large"


def test_the_upload_handler_stops_writing_at_the_limit_but_reports_the_size(settings):
    settings.MAX_UPLOAD_SIZE = 10_000
    handler = LimitedTemporaryFileUploadHandler(RequestFactory().post("/"))
    handler.new_file("file", "lon.pdf", "application/pdf", 50_000)
    for start in range(0, 50_000, 5_000):
        handler.receive_data_chunk(b"x" * 5_000, start)
    received = handler.file_complete(50_000)
    assert received.size == 50_000
    assert Path(received.temporary_file_path()).stat().st_size == 10_001
    with pytest.raises(ValidationError) as refused:
        check_upload(received)
    assert refused.value.code == "file_too_large"
    received.close()


def test_upload_settings():
    assert settings.FILE_UPLOAD_HANDLERS[-1].endswith("LimitedTemporaryFileUploadHandler")
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o640


@pytest.mark.parametrize(
    "given,safe",
    [
        ("../Biên bản nghiệm thu (lần 1).PDF", "Bien_ban_nghiem_thu_lan_1.pdf"),
        ("..\\..\\windows\\system32.pdf", "system32.pdf"),
        ("/etc/passwd", "passwd"),
        (".htaccess", "htaccess"),
        ("a\x00b.pdf", "a_b.pdf"),
        ("x.pdf.php", "x.pdf.php"),
        ("", "file"),
        ("ảnh" * 100 + ".png", ("anh" * 100)[:96] + ".png"),
    ],
)
def test_file_names_are_sanitised(given, safe):
    assert sanitize_filename(given) == safe


def test_stored_names_are_random_and_safe():
    class Owner:
        project_id = 7

    name = UploadPath("projects", "project_id")(Owner(), "../../Quyết định.pdf")
    folder, stored = name.rsplit("/", 1)
    assert folder == "projects/7"
    assert stored.endswith("_Quyet_dinh.pdf") and ".." not in name


def test_uploads_live_outside_the_web_root():
    media = Path(settings.MEDIA_ROOT).resolve()
    static = Path(settings.STATIC_ROOT).resolve()
    code = Path(__file__).resolve().parents[2] / "src"
    assert static not in media.parents and media != static
    assert code.resolve() not in media.parents
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    for path in ("/media/projects/1/x.pdf", "/projects/1/x.pdf", "/static/../var/media/x.pdf"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        assert "download" in match.url_name or match.url_name == "detail", path


def test_every_file_field_is_served_by_a_registered_permission_checked_route():
    fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("khuyencong.")
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]
    assert fields
    missing = [label for label in fields if label not in DOWNLOADS]
    assert not missing, (
        "file fields without a download route: register_download(field, route) in "
        f"tests/<app>/trust_routes.py: {missing}"
    )
    for label, route in DOWNLOADS.items():
        assert route in ROUTES and ROUTES[route].obj, f"{label}: {route} is not walked"


@pytest.mark.django_db
def test_downloads_are_attachments_that_browsers_do_not_sniff(world):
    document = world.obj("document", "A")
    response = client_for(world, "leader_a").get(
        reverse("projects:document_download", args=[document.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"KQZALPHADOCUMENTX" in b"".join(response.streaming_content)
    stored = Path(settings.MEDIA_ROOT) / document.file.name
    assert stored.exists() and oct(stored.stat().st_mode & 0o777) == "0o640"
