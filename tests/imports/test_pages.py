"""The import pages and the background task: upload, preview, choose, commit; templates."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.models import Role
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.documents.xlsx_reader import read_sheet
from khuyencong.spreadsheets.models import ImportJob, JobStatus
from khuyencong.spreadsheets.pipeline import BENEFICIARY_COLUMNS
from khuyencong.spreadsheets.template import build_template
from tests.imports.conftest import (
    BENEFICIARY_HEADERS,
    beneficiary_row,
    far_apart_xlsx,
    make_xlsx,
)
from tests.projects import factories as pf

LOGIN = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def signed_in(client, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff, backend=LOGIN)
    return client


def upload(client, rows, name="ds.xlsx"):
    data = make_xlsx(BENEFICIARY_HEADERS, rows)
    file = SimpleUploadedFile(name, data)
    return client.post("/imports/", {"kind": "beneficiaries", "file": file})


def test_upload_checks_in_the_background_and_shows_every_problem(signed_in):
    response = upload(signed_in, [beneficiary_row(1), beneficiary_row(2, kind="Không rõ")])
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert job.status == JobStatus.INVALID
    assert job.total_rows == 2 and job.error_count == 1
    page = signed_in.get(f"/imports/{job.pk}/").content.decode()
    assert "Loại hình" in page and "Không có loại hình" in page
    assert not Beneficiary.objects.exists()


def test_commit_imports_everything(signed_in):
    upload(signed_in, [beneficiary_row(1), beneficiary_row(2)])
    job = ImportJob.objects.get()
    assert job.status == JobStatus.READY and job.can_commit
    signed_in.post(f"/imports/{job.pk}/choose/", {"commit": "1"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.created_count == 2
    assert Beneficiary.objects.count() == 2
    # polling partial (htmx) shows the status only
    partial = signed_in.get(f"/imports/{job.pk}/", headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"job-status" in partial.content


def test_ambiguous_rows_need_a_choice_before_commit(client, db, settings, tmp_path):
    from khuyencong.places.models import AdminUnit
    from khuyencong.spreadsheets.addresses import UnitIndex

    settings.MEDIA_ROOT = tmp_path
    admin = pf.user(Role.SYSTEM_ADMIN)
    client.force_login(admin, backend=LOGIN)
    shared = next(v for k, v in UnitIndex().by_name.items() if k[0] == "legacy" and len(v) > 1)
    unit = AdminUnit.objects.get(pk=shared[0].id)
    province = AdminUnit.objects.get(pk=unit.province_id)
    upload(client, [beneficiary_row(1, address=f"{unit.name}, {province.name}")])
    job = ImportJob.objects.get()
    assert job.status == JobStatus.READY and job.unresolved and not job.can_commit
    assert b'name="row-2"' in client.get(f"/imports/{job.pk}/").content
    client.post(f"/imports/{job.pk}/choose/", {"commit": "1"})
    assert not Beneficiary.objects.exists()
    client.post(f"/imports/{job.pk}/choose/", {"row-2": str(shared[1].id), "commit": "1"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Beneficiary.objects.get().commune_id == shared[1].id


def test_a_job_is_private_to_its_user(signed_in, leader, client):
    upload(signed_in, [beneficiary_row(1)])
    job = ImportJob.objects.get()
    client.force_login(leader, backend=LOGIN)
    assert client.get(f"/imports/{job.pk}/").status_code == 404


def test_wrong_file_types_are_refused(signed_in):
    response = signed_in.post(
        "/imports/", {"kind": "beneficiaries", "file": SimpleUploadedFile("a.csv", b"a,b")}
    )
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


def test_a_broken_file_is_refused_at_upload(signed_in):
    response = signed_in.post(
        "/imports/",
        {"kind": "beneficiaries", "file": SimpleUploadedFile("a.xlsx", b"not a workbook")},
    )
    assert response.status_code == 200
    assert "bảng tính" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_jury_members_cannot_import(client, db):
    client.force_login(pf.user(Role.JURY_MEMBER), backend=LOGIN)
    assert client.get("/imports/").status_code == 403


# the data sheets of each template (issue 19: the optional further sheets)
DATA_SHEETS = {
    "beneficiaries": ["Dữ liệu"],
    "registrations": ["Dữ liệu"],
    "projects": ["Dữ liệu", "Cơ sở tham gia", "Các bước"],
    "progress": ["Dữ liệu"],
    "plans": ["Kế hoạch", "Đợt giao"],
}


@pytest.mark.parametrize("kind", list(DATA_SHEETS))
def test_templates_have_instructions_lists_and_read_back(kind, leader, client):
    from openpyxl import load_workbook

    client.force_login(pf.user(Role.SYSTEM_ADMIN), backend=LOGIN)
    response = client.get(f"/imports/template/{kind}.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Hướng dẫn", *DATA_SHEETS[kind], "Danh mục"]
    data = workbook[DATA_SHEETS[kind][0]]
    assert data.freeze_panes == "A2"
    assert data.data_validations.dataValidation  # drop-down lists
    assert workbook["Danh mục"].sheet_state == "hidden"


def test_the_beneficiary_template_reads_back_with_its_columns(db):
    sheet = read_sheet(io.BytesIO(build_template("beneficiaries")), BENEFICIARY_COLUMNS)
    assert sheet.header_row == 1
    assert set(sheet.columns) == {column.key for column in BENEFICIARY_COLUMNS}
    assert len(sheet) == 0 or not list(sheet.records())


def test_the_uploader_alone_downloads_the_file_as_an_attachment(signed_in, client, leader):
    upload(signed_in, [beneficiary_row(1)], name="Danh sách (1).xlsx")
    job = ImportJob.objects.get()
    response = signed_in.get(f"/imports/{job.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content)[:2] == b"PK"
    client.force_login(leader, backend=LOGIN)
    assert client.get(f"/imports/{job.pk}/file/").status_code == 404


def test_imported_records_are_in_the_audit_trail(signed_in, staff):
    from khuyencong.trust.models import AuditAction, AuditEntry, AuditSource

    upload(signed_in, [beneficiary_row(1), beneficiary_row(2)])
    job = ImportJob.objects.get()
    signed_in.post(f"/imports/{job.pk}/choose/", {"commit": "1"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    for beneficiary in Beneficiary.objects.all():
        entry = AuditEntry.objects.for_object(beneficiary).get()
        assert entry.user_id == staff.pk and entry.action == AuditAction.CREATE
        assert entry.source == AuditSource.SYSTEM and entry.reason == "import"
        assert {"field": "name", "old": None, "new": beneficiary.name} in entry.changes
        assert entry.province_id == beneficiary.province_id


def _office_zip(parts: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("ds.xlsx", b"%PDF-1.4\n%%EOF\n", "không phải"),
        ("ds.xls", b"MZ\x90\x00 an executable", "không phải"),
        ("ds.ods", b"<html><script>x()</script></html>", "không phải"),
        (
            "ds.xlsm",
            _office_zip(
                {
                    "[Content_Types].xml": b"<x/>",
                    "xl/workbook.xml": b"<x/>",
                    "xl/vbaProject.bin": b"",
                }
            ),
            "macro",
        ),
    ],
)
def test_files_are_judged_by_their_content(signed_in, name, content, message):
    response = signed_in.post(
        "/imports/", {"kind": "beneficiaries", "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_opendocument_spreadsheet_is_accepted(signed_in):
    from tests.imports.test_formats import make_ods

    data = make_ods([BENEFICIARY_HEADERS, beneficiary_row(1)])
    response = signed_in.post(
        "/imports/", {"kind": "beneficiaries", "file": SimpleUploadedFile("ds.ods", data)}
    )
    assert response.status_code == 302
    assert ImportJob.objects.get().status == JobStatus.READY


@pytest.mark.parametrize("kind", ["beneficiaries", "projects", "registrations"])
def test_a_sheet_reaching_far_is_refused_through_the_job(kind, client, db, settings, tmp_path):
    """Cells at A1 and XFD1048576: the job says why in Vietnamese, nothing is written, and the
    process's peak memory barely moves (the grid, 16384 × 1048576 cells, is never built)."""
    import resource

    from khuyencong.projects.models import Project
    from khuyencong.registrations.models import Registration
    from khuyencong.spreadsheets.template import COLUMNS

    settings.MEDIA_ROOT = tmp_path
    client.force_login(pf.user(Role.SYSTEM_ADMIN), backend=LOGIN)
    data = far_apart_xlsx([column.header for column in COLUMNS[kind]])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    client.post("/imports/", {"kind": kind, "file": SimpleUploadedFile("xa.xlsx", data)})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID
    assert "quá lớn" in job.message and "dòng 1048576 và cột 16384" in job.message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 200 * 1024
    assert "quá lớn" in client.get(f"/imports/{job.pk}/").content.decode()
    assert not Beneficiary.objects.exists()
    assert not Project.objects.exists() and not Registration.objects.exists()
